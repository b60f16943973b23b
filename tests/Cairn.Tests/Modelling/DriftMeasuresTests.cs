using Cairn.Pipelines.Weather;

namespace Cairn.Tests.Modelling;

public sealed class DriftMeasuresTests
{
    private static readonly double[] OneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    [Fact]
    public void Five_bins_of_one_to_ten_have_their_edges_at_every_second_value()
    {
        DriftMeasures.QuantileEdges(OneToTen, 5).ShouldBe([2, 4, 6, 8]);
        DriftMeasures.Counts(OneToTen, [2, 4, 6, 8]).ShouldBe([2, 2, 2, 2, 2]);
    }

    [Fact]
    public void Psi_of_a_known_shift_is_the_sum_worked_out_by_hand()
    {
        // Bins (…,2] (2,4] (4,6] (6,8] (8,…): training shares 0.2 each; recent {1,1,1,1,3,3,5,7,9,9}: 0.4 0.2 0.1 0.1 0.2.
        // PSI = (0.4 − 0.2) ln 2 + 2 × (0.1 − 0.2) ln 0.5 = 0.4 ln 2.
        double[] recent = [1, 1, 1, 1, 3, 3, 5, 7, 9, 9];
        var edges = DriftMeasures.QuantileEdges(OneToTen, 5);

        DriftMeasures.Counts(recent, edges).ShouldBe([4, 2, 1, 1, 2]);
        DriftMeasures.Psi(DriftMeasures.Counts(OneToTen, edges), DriftMeasures.Counts(recent, edges)).ShouldBe(0.4 * Math.Log(2), 1e-12);
    }

    [Fact]
    public void Ks_of_a_known_shift_is_the_largest_gap_worked_out_by_hand()
    {
        // F_training(x) = x / 10; F_recent is 0.4 at 1 and 0.6 at 3: the gap is 0.3 at both.
        DriftMeasures.KolmogorovSmirnov(OneToTen, [1, 1, 1, 1, 3, 3, 5, 7, 9, 9]).ShouldBe(0.3, 1e-12);
    }

    [Fact]
    public void An_empty_bin_counts_as_a_share_of_epsilon_so_psi_stays_finite()
    {
        // All recent rows above 8: four bins empty (share 0.0001 each), the last holds everything.
        var psi = DriftMeasures.Psi([2, 2, 2, 2, 2], [0, 0, 0, 0, 3]);

        psi.ShouldBe((4 * (0.0001 - 0.2) * Math.Log(0.0001 / 0.2)) + ((1 - 0.2) * Math.Log(1 / 0.2)), 1e-12);
        DriftMeasures.Epsilon.ShouldBe(0.0001);
    }

    [Fact]
    public void Identical_windows_have_no_drift_and_disjoint_windows_the_largest_ks()
    {
        DriftMeasures.Psi([3, 3, 4], [3, 3, 4]).ShouldBe(0);
        DriftMeasures.KolmogorovSmirnov(OneToTen, OneToTen).ShouldBe(0);
        DriftMeasures.KolmogorovSmirnov([1, 2], [3, 4]).ShouldBe(1);
        DriftMeasures.KolmogorovSmirnov([3, 4], [1, 2]).ShouldBe(1);
    }

    [Fact]
    public void Tied_values_merge_bins_and_a_value_on_an_edge_belongs_to_the_bin_it_closes()
    {
        double[] tied = [1, 1, 1, 1, 1, 1, 1, 1, 2, 3];

        DriftMeasures.QuantileEdges(tied, 5).ShouldBe([1]);
        DriftMeasures.Counts(tied, [1]).ShouldBe([8, 2]);
        DriftMeasures.Counts([2, 4, 4.0001], [2, 4]).ShouldBe([1, 1, 1]);
    }

    [Fact]
    public void Edges_are_nearest_rank_quantiles_also_when_the_count_does_not_divide()
    {
        // n = 7, 4 bins: ranks ⌈7/4⌉ = 2, ⌈14/4⌉ = 4, ⌈21/4⌉ = 6.
        DriftMeasures.QuantileEdges([10, 20, 30, 40, 50, 60, 70], 4).ShouldBe([20, 40, 60]);
        // n = 1000, 10 bins: 0.3 × 1000 in floating point is not 300, the rank must still be 300.
        DriftMeasures.QuantileEdges([.. Enumerable.Range(1, 1000).Select(i => (double)i)], 10)
            .ShouldBe([100, 200, 300, 400, 500, 600, 700, 800, 900]);
    }

    [Fact]
    public void On_random_samples_with_ties_both_measures_agree_with_the_slow_obvious_computation()
    {
        var random = new Random(7);
        for (var round = 0; round < 50; round++)
        {
            var training = Enumerable.Range(0, random.Next(1, 200)).Select(_ => Math.Round(random.NextDouble() * 10, 1)).ToArray();
            var recent = Enumerable.Range(0, random.Next(1, 80)).Select(_ => Math.Round((random.NextDouble() * 12) - 1, 1)).ToArray();
            var bins = random.Next(2, 15);
            var sortedTraining = training.Order().ToArray();
            var sortedRecent = recent.Order().ToArray();
            var edges = DriftMeasures.QuantileEdges(sortedTraining, bins);

            edges.ShouldBe(DriftByHand.Edges(training, bins), $"round {round}");
            DriftMeasures.Psi(DriftMeasures.Counts(training, edges), DriftMeasures.Counts(recent, edges)).ShouldBe(DriftByHand.Psi(training, recent, bins), 1e-9, $"round {round}");
            DriftMeasures.KolmogorovSmirnov(sortedTraining, sortedRecent).ShouldBe(DriftByHand.Ks(training, recent), 1e-12, $"round {round}");
        }
    }
}
