namespace Cairn.Engine.Observing;

/// <summary>Who started a run and from which commit, as far as the environment tells.</summary>
internal static class RunProvenance
{
    /// <summary>What a run says started it when a host sets it, e.g. the service's <c>schedule:nightly</c>.</summary>
    public const string TriggeredByVariable = "CAIRN_TRIGGERED_BY";

    /// <summary>
    /// <see cref="TriggeredByVariable"/> when set; else the CI actor when a CI service names one (GitHub, GitLab, Azure
    /// Pipelines, Buildkite); else user@host.
    /// </summary>
    public static string TriggeredBy(Func<string, string?> environment)
    {
        if (environment(TriggeredByVariable) is { Length: > 0 } trigger)
        {
            return trigger;
        }

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

    /// <summary>
    /// The commit CI names, else the commit HEAD points to in the git repository holding the folder (a worktree
    /// too); null when neither says. Read from git's files rather than by running git, which would cost a process
    /// start on every run.
    /// </summary>
    public static string? GitCommit(string directory, Func<string, string?> environment)
    {
        foreach (var variable in new[] { "GITHUB_SHA", "CI_COMMIT_SHA", "BUILD_SOURCEVERSION", "BUILDKITE_COMMIT" })
        {
            if (environment(variable) is { Length: > 0 } sha)
            {
                return sha;
            }
        }

        try
        {
            for (var folder = new DirectoryInfo(directory); folder is not null; folder = folder.Parent)
            {
                var dotGit = Path.Combine(folder.FullName, ".git");
                if (Directory.Exists(dotGit))
                {
                    return Head(dotGit);
                }

                if (File.Exists(dotGit))
                {
                    var link = File.ReadAllText(dotGit).Trim();
                    return link.StartsWith("gitdir:", StringComparison.Ordinal) ? Head(Path.GetFullPath(link["gitdir:".Length..].Trim(), folder.FullName)) : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable repository: the run simply has no commit.
        }

        return null;
    }

    private static string? Head(string gitDirectory)
    {
        var head = File.ReadAllText(Path.Combine(gitDirectory, "HEAD")).Trim();
        if (!head.StartsWith("ref: ", StringComparison.Ordinal))
        {
            return IsCommit(head) ? head : null;
        }

        var reference = head["ref: ".Length..];
        var commonFile = Path.Combine(gitDirectory, "commondir");
        var common = File.Exists(commonFile) ? Path.GetFullPath(File.ReadAllText(commonFile).Trim(), gitDirectory) : gitDirectory;
        foreach (var folder in new[] { gitDirectory, common })
        {
            var loose = Path.Combine(folder, reference);
            if (File.Exists(loose))
            {
                var sha = File.ReadAllText(loose).Trim();
                return IsCommit(sha) ? sha : null;
            }
        }

        var packed = Path.Combine(common, "packed-refs");
        if (File.Exists(packed))
        {
            foreach (var line in File.ReadLines(packed))
            {
                if (line.EndsWith(" " + reference, StringComparison.Ordinal) && IsCommit(line[..40]))
                {
                    return line[..40];
                }
            }
        }

        return null;
    }

    private static bool IsCommit(string text) => text.Length == 40 && text.All(Uri.IsHexDigit);
}
