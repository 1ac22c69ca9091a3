using System.Diagnostics;
using System.Text;

namespace KanCompile.PackageTests.Support;

/// <summary>Runs the dotnet CLI as a child process with a timeout, capturing everything it prints.</summary>
public static class DotNetCli
{
    /// <summary>The same dotnet host that runs the tests, so the child uses the same SDK.</summary>
    private static string HostPath => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    public static ProcessResult Run(string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(HostPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test host inherits MSBuild variables from the outer `dotnet test`; they would steer the child build.
        foreach (string key in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        // Reused build nodes would outlive the child, keep its output pipes open and share state across runs.
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach ((string key, string value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        string commandLine = "dotnet " + string.Join(' ', arguments);
        var output = new StringBuilder();
        var error = new StringBuilder();
        var outputClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errorClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data, outputClosed);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data, errorClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout.TotalSeconds:F0} s." + Environment.NewLine +
                new ProcessResult(commandLine, -1, Snapshot(output), Snapshot(error), stopwatch.Elapsed));
        }

        // The timed wait returns at exit; drain the last buffered lines, but never hang on a pipe some
        // grandchild process still holds open.
        Task.WaitAll([outputClosed.Task, errorClosed.Task], TimeSpan.FromSeconds(30));
        return new ProcessResult(commandLine, process.ExitCode, Snapshot(output), Snapshot(error), stopwatch.Elapsed);
    }

    private static void Append(StringBuilder buffer, string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
