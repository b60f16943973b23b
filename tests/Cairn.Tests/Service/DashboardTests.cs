using System.Diagnostics;
using Cairn.Tests.Engine;
using SkiaSharp;

namespace Cairn.Tests.Service;

/// <summary>The dashboard loaded from the running service in a real browser: Debian's headless Chromium.</summary>
public sealed class DashboardTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromiumMissing = "needs Debian's Chromium for the dashboard in a real browser: apt-get install chromium";

    /// <summary>
    /// Copy fails with CAIRN9901 on 2020-01-03, where its gate (<c>review_on</c>) stops it for a review; the days
    /// before run through Copy and Concat, and that run is the one the page opens with.
    /// </summary>
    [SkippableFact]
    public void The_dashboard_shows_the_runs_table_the_DAG_coloured_by_the_run_and_the_pending_reviews_and_its_screenshot_is_not_blank()
    {
        Skip.IfNot(File.Exists(Chromium), ChromiumMissing);
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WriteDay("2020-01-02");
        harness.WriteDay("2020-01-03");
        harness.WritePipeline(new PipelineYaml()
            .Stage("Copy", "TestStage", s => s.CopiesEachDay("data/out/date={date}/out.txt").Parameter("Fault", "error").Parameter("FailOn", "2020-01-03").ReviewOn("CAIRN9901"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", "data/out/date={each}/out.txt").Output("Combined", "data/all.txt").Reads("selection"))
            .Then("""
                schedules:
                  - name: nightly
                    cron: "0 30 2 * * ?"
                """));
        harness.Start();
        var (_, stopped, _) = harness.Post("/api/runs", """{"partition": "2020-01-03"}""");
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(stopped!["id"]))["run"]!["status"]).ShouldBe("failed");
        var review = ServiceHarness.Text(harness.Get("/api/reviews").AsArray().ShouldHaveSingleItem()!["id"]);
        var (_, body, _) = harness.Post("/api/runs", """{"from": "2020-01-01", "to": "2020-01-02"}""");
        var id = ServiceHarness.Text(body!["id"]);
        ServiceHarness.Text(harness.WaitForEnd(id)["run"]!["status"]).ShouldBe("succeeded");
        var page = harness.Service!.Address!.ToString();

        var dom = Browse(harness, "--dump-dom", page);

        dom.ShouldContain("<table id=\"runs\">");
        dom.ShouldContain($"<tr class=\"pick selected\" data-run=\"{id}\">");
        dom.ShouldContain("<svg id=\"dag-svg\"");
        dom.ShouldContain("<g class=\"node ran\" data-stage=\"Copy\" data-state=\"ran\">");
        dom.ShouldContain("<g class=\"node ran\" data-stage=\"Concat\" data-state=\"ran\">");
        dom.ShouldContain("<path class=\"edge\"");
        dom.ShouldContain("<button data-schedule=\"nightly\">Pause</button>");
        dom.ShouldContain("<table id=\"cells\">");
        dom.ShouldContain("<section id=\"reviews-section\" class=\"wide\">");
        dom.ShouldContain("<table id=\"reviews-table\">");
        dom.ShouldContain($"<tr data-review=\"{review}\"><td><code>{review}</code></td><td>Copy</td><td>2020-01-03</td><td class=\"breaches\">");
        dom.ShouldContain("CAIRN9901");
        dom.ShouldContain($"<code class=\"decide\">./build.sh --target=Approve --pipeline=test --workspace=work --raw=landing --review={review} --reason=\"…\"</code>");
        dom.ShouldContain("1 pending: the gate stays shut for these cells until a person approves or rejects each, with a reason.");

        var screenshot = harness.Env.PathOf("dashboard.png");
        Browse(harness, $"--screenshot={screenshot}", "--window-size=1280,900", page);
        using var image = SKBitmap.Decode(screenshot);
        (image.Width, image.Height).ShouldBe((1280, 900));
        var colours = new HashSet<SKColor>();
        var inked = 0;
        for (var y = 0; y < image.Height; y += 3)
        {
            for (var x = 0; x < image.Width; x += 3)
            {
                var pixel = image.GetPixel(x, y);
                colours.Add(pixel);
                if (pixel.Red + pixel.Green + pixel.Blue < 600)
                {
                    inked++;
                }
            }
        }

        colours.Count.ShouldBeGreaterThan(50, "a blank page has a colour or two");
        (inked / (double)(image.Width / 3 * (image.Height / 3))).ShouldBeGreaterThan(0.05, "text, tables and the DAG ink the page");
        harness.Service.Stop().ShouldBe(0);
    }

    private static string Browse(ServiceHarness harness, params string[] arguments)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={harness.Env.PathOf("chromium-" + Guid.NewGuid().ToString("N")[..8])}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var browser = Process.Start(start)!;
        var output = browser.StandardOutput.ReadToEndAsync();
        var errors = browser.StandardError.ReadToEndAsync();
        if (!browser.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            browser.Kill(entireProcessTree: true);
            throw new TimeoutException($"Chromium did not finish in 120 s: {errors.Result}");
        }

        browser.ExitCode.ShouldBe(0, errors.Result);
        return output.Result;
    }
}
