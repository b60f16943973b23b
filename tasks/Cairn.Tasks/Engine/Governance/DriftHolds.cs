using System.Globalization;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Governance;

/// <summary>
/// The cells held for a review of schema drift, as the reviews stand when a run or Status begins: a drift review that
/// is pending or rejected holds exactly the cell and fingerprint it judged (the same data against the same contract).
/// An approved one holds nothing: the contract it amended is another input, so the cell has another fingerprint.
/// </summary>
internal sealed class DriftHolds
{
    private readonly Dictionary<(string Stage, string? Partition, string Fingerprint), Review> _held = [];
    private readonly string _partitionKey;

    public DriftHolds(ReviewStore reviews, string partitionKey)
    {
        _partitionKey = partitionKey;
        foreach (var review in reviews.All().Where(r => r.Drift is not null && r.Status != ReviewStatus.Approved))
        {
            _held[(review.Stage, review.Partition, review.Fingerprint)] = review;
        }
    }

    /// <summary>Why the cell with this fingerprint is held, as the one cause of its decision; null when it is not.</summary>
    public Cause? Of(string stage, string? partition, string fingerprint) =>
        _held.TryGetValue((stage, partition, fingerprint), out var review)
            ? new Cause(CauseKind.AwaitingApproval) { Detail = Text(review, _partitionKey) }
            : null;

    private const int ChangesNamed = 5;

    /// <summary>
    /// "awaiting approval of schema drift in date=2013-05-03: new column 'humidity' (number); review r-1a2b3c4d is
    /// pending", or, for a rejected one, who rejected it and why.
    /// </summary>
    public static string Text(Review review, string partitionKey)
    {
        var where = review.Partition is null ? string.Empty : $" in {partitionKey}={review.Partition}";
        // A file can bring thousands of new columns: the line names a few, the review lists them all.
        var changes = review.Breaches.Count <= ChangesNamed
            ? string.Join(", ", review.Breaches)
            : string.Join(", ", review.Breaches.Take(ChangesNamed))
              + string.Create(CultureInfo.InvariantCulture, $" and {review.Breaches.Count - ChangesNamed:N0} more changes (./build.sh --target=Reviews lists them)");
        return review.Status == ReviewStatus.Rejected
            ? $"schema drift{where} was rejected: {changes}; review {review.Id} {review.Decision}. The partition stays held and its raw files are quarantined; new data for it (or a contract that describes it) is judged afresh"
            : $"awaiting approval of schema drift{where}: {changes}; review {review.Id} is pending. Approve it with ./build.sh --target=Approve --review={review.Id} --reason=\"…\" (the contract gets the change and the held cells run on the next run), or --target=Reject (they stay held, the raw files are quarantined)";
    }
}
