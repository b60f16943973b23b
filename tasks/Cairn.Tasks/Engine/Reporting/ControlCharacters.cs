using System.Globalization;
using System.Text;

namespace Cairn.Engine.Reporting;

/// <summary>
/// Escapes the control characters a message may carry from data (a NUL or an escape sequence in a CSV header, a
/// carriage return in a file name) so that they reach a terminal or a log as visible text: <c>\0</c>, <c>\e</c>,
/// <c>\r</c>, <c>\x7F</c>, <c>\u0085</c>. Newlines and tabs are kept: messages are laid out with them.
/// </summary>
internal static class ControlCharacters
{
    public static string Escape(string text)
    {
        var first = Find(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsControl(c))
            {
                escaped.Append(c);
                continue;
            }

            escaped.Append(c switch
            {
                '\0' => @"\0",
                '\a' => @"\a",
                '\b' => @"\b",
                '\u001b' => @"\e",
                '\f' => @"\f",
                '\r' => @"\r",
                '\v' => @"\v",
                < '\u0080' => string.Create(CultureInfo.InvariantCulture, $@"\x{(int)c:X2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $@"\u{(int)c:X4}"),
            });
        }

        return escaped.ToString();
    }

    private static bool IsControl(char c) => (c < ' ' && c is not ('\n' or '\t')) || c is >= '\u007f' and <= '\u009f';

    private static int Find(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsControl(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
