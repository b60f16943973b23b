namespace Cairn.Engine.Workspace;

/// <summary>
/// What the file system says about a regular file without reading it: enough to tell, with the racy-clean rule of
/// <see cref="StatCache"/>, that its content is what it was when it was last hashed. On Linux every field is real
/// (statx); elsewhere <see cref="Device"/>, <see cref="Inode"/> and <see cref="ChangedNs"/> are 0.
/// </summary>
/// <param name="Device">The device the file is on (major in the high 32 bits, minor in the low).</param>
/// <param name="Inode">The inode number.</param>
/// <param name="Size">The length in bytes.</param>
/// <param name="ModifiedNs">The last content change (mtime), in nanoseconds since the Unix epoch.</param>
/// <param name="ChangedNs">The last inode change (ctime: content, mode, links, rename), in nanoseconds since the Unix epoch.</param>
internal readonly record struct FileStat(ulong Device, ulong Inode, long Size, long ModifiedNs, long ChangedNs);
