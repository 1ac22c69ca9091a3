using KanCompile.Cli;

// Progress bars and tables only when a person is watching; pipes and files get plain text.
// The first Ctrl+C stops training gracefully (the model is still saved and reported); a second one ends the process.
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !interrupt.IsCancellationRequested;
    interrupt.Cancel();
};

return KanCli.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, interrupt.Token);
