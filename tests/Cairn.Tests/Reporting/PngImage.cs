using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Cairn.Tests.Reporting;

/// <summary>
/// Just enough of a PNG reader to look at what a renderer drew: 8-bit RGB or RGBA, not interlaced (what Skia and
/// rsvg-convert write). Anything else is refused by name rather than misread.
/// </summary>
internal sealed class PngImage
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private readonly byte[] _rgba;

    private PngImage(int width, int height, byte[] rgba)
    {
        Width = width;
        Height = height;
        _rgba = rgba;
    }

    public int Width { get; }

    public int Height { get; }

    public static PngImage Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(0, 8).SequenceEqual(Signature).ShouldBeTrue($"{path} is not a PNG file");
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            var type = Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                var (depth, colour, interlace) = (data[8], data[9], data[12]);
                if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0)
                {
                    throw new NotSupportedException($"{path}: bit depth {depth}, colour type {colour}, interlace {interlace}; this reader knows 8-bit RGB(A), not interlaced");
                }

                channels = colour == 6 ? 4 : 3;
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }

            at += 12 + length;
        }

        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        return new PngImage(width, height, Unfilter(inflated.ToArray(), width, height, channels));
    }

    /// <summary>How many pixels the test says yes to.</summary>
    public int Count(Func<byte, byte, byte, byte, bool> test)
    {
        var count = 0;
        for (var i = 0; i < _rgba.Length; i += 4)
        {
            if (test(_rgba[i], _rgba[i + 1], _rgba[i + 2], _rgba[i + 3]))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Pixels within a small distance of the colour, given as #rrggbb.</summary>
    public int CountNear(string hex)
    {
        var (r, g, b) = (Convert.ToByte(hex[1..3], 16), Convert.ToByte(hex[3..5], 16), Convert.ToByte(hex[5..7], 16));
        return Count((pr, pg, pb, pa) => pa > 200 && Math.Abs(pr - r) <= 6 && Math.Abs(pg - g) <= 6 && Math.Abs(pb - b) <= 6);
    }

    private static byte[] Unfilter(byte[] data, int width, int height, int channels)
    {
        var stride = width * channels;
        var previous = new byte[stride];
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            var filter = data[y * (stride + 1)];
            var row = data.AsSpan((y * (stride + 1)) + 1, stride).ToArray();
            for (var x = 0; x < stride; x++)
            {
                int left = x >= channels ? row[x - channels] : 0, up = previous[x], upLeft = x >= channels ? previous[x - channels] : 0;
                row[x] = (byte)(row[x] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new NotSupportedException($"PNG filter type {filter}"),
                });
            }

            for (var x = 0; x < width; x++)
            {
                var to = ((y * width) + x) * 4;
                rgba[to] = row[x * channels];
                rgba[to + 1] = row[(x * channels) + 1];
                rgba[to + 2] = row[(x * channels) + 2];
                rgba[to + 3] = channels == 4 ? row[(x * channels) + 3] : (byte)255;
            }

            previous = row;
        }

        return rgba;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
