namespace Cairn.Engine.Governance;

internal enum ReviewStatus
{
    Pending,
    Approved,
    Rejected,
}
