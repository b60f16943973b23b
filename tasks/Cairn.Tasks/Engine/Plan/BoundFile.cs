namespace Cairn.Engine.Plan;

/// <summary>A file bound to a stage property for one cell: its logical path (relative and relocatable) and where it is on disk.</summary>
internal sealed record BoundFile(string Property, string LogicalPath, string FullPath);
