using KanCompile.Cli;

// Progress bars and tables only when a person is watching; pipes and files get plain text.
return KanCli.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
