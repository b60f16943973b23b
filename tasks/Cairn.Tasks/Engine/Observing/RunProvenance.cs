using System.ComponentModel;
using System.Diagnostics;

namespace Cairn.Engine.Observing;

/// <summary>Who started a run and from which commit, as far as the environment tells.</summary>
internal static class RunProvenance
{
    /// <summary>The CI actor when a CI service names one (GitHub, GitLab, Azure Pipelines, Buildkite), else user@host.</summary>
    public static string TriggeredBy(Func<string, string?> environment)
    {
        var actors = new (string Variable, string Service)[]
        {
            ("GITHUB_ACTOR", "github"),
            ("GITLAB_USER_LOGIN", "gitlab"),
            ("BUILD_REQUESTEDFOREMAIL", "azure"),
            ("BUILDKITE_BUILD_CREATOR", "buildkite"),
        };
        foreach (var (variable, service) in actors)
        {
            if (environment(variable) is { Length: > 0 } actor)
            {
                return $"{actor} ({service})";
            }
        }

        return $"{Environment.UserName}@{Environment.MachineName}";
    }

    /// <summary>The commit CI names, else <c>git rev-parse HEAD</c> in the folder; null when neither says.</summary>
    public static string? GitCommit(string directory, Func<string, string?> environment)
    {
        foreach (var variable in new[] { "GITHUB_SHA", "CI_COMMIT_SHA", "BUILD_SOURCEVERSION", "BUILDKITE_COMMIT" })
        {
            if (environment(variable) is { Length: > 0 } sha)
            {
                return sha;
            }
        }

        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-C", directory, "rev-parse", "--verify", "--quiet", "HEAD" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var git = Process.Start(start);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            if (!git.WaitForExit(5_000))
            {
                git.Kill();
                return null;
            }

            return git.ExitCode == 0 && output.Length >= 40 ? output : null;
        }
        catch (Win32Exception)
        {
            // No git on this machine: the run simply has no commit.
            return null;
        }
    }
}
