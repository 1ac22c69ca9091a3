namespace KanCompile.Cli.Fitting;

/// <summary>
/// The features of <c>kan</c> that depend on parts of KanCompile this build does not contain yet. Their
/// options are parsed and validated like any other, then refused here with one clear line before any work
/// is done. Wiring one in means: implement its phase in <see cref="FitCommandHandler"/> (symbolic formula
/// after training; C# export and plot after that), fill the matching <see cref="FitSummary"/> fields, and
/// drop its check below.
/// </summary>
internal static class CliFeatures
{
    /// <summary>Refuses the first requested feature that this build lacks.</summary>
    /// <exception cref="KanCliException">Exit code <see cref="ExitCodes.NotAvailable"/>.</exception>
    public static void EnsureAvailable(FitSettings settings)
    {
        if (settings.Symbolic)
        {
            throw KanCliException.NotAvailable("--symbolic (automatic symbolic regression of the trained model)");
        }

        if (settings.ExportCsPath is not null)
        {
            throw KanCliException.NotAvailable("--export-cs (C# export of the symbolic formula)");
        }
    }

    /// <summary>The <c>kan formula</c> command.</summary>
    public static KanCliException Formula() => KanCliException.NotAvailable("kan formula (symbolic formula of a saved model)");
}
