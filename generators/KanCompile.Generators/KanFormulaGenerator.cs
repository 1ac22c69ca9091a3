using System;
using KanCompile.Generators.Diagnostics;
using KanCompile.Generators.Formulas;
using KanCompile.Generators.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace KanCompile.Generators;

/// <summary>
/// Compiles saved model files into code at build time: every <c>[KanFormula("path")]</c> static partial class
/// gets the standalone evaluation code of the model file found among the project's AdditionalFiles (the same
/// code <c>KanModel.ExportCSharp</c> returns). A missing, unreadable or corrupt file is a diagnostic.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KanFormulaGenerator : IIncrementalGenerator
{
    internal const string AttributeName = "KanCompile.KanFormulaAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<KanFormulaRequest> requests = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (syntaxContext, cancellationToken) => KanFormulaBuilder.Parse(syntaxContext, cancellationToken))
            .WithTrackingName(KanStepNames.FormulaParse);

        // Only the paths and texts of JSON files enter the pipeline: plain strings, so unchanged files stay cached.
        IncrementalValueProvider<EquatableArray<AdditionalFileInfo>> files = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Select(static (text, cancellationToken) => new AdditionalFileInfo(text.Path, text.GetText(cancellationToken)?.ToString()))
            .Collect()
            .Select(static (all, _) => all.ToEquatableArray());

        IncrementalValuesProvider<KanFormulaResult> results = requests
            .Combine(files)
            .Select(static (pair, cancellationToken) => KanFormulaBuilder.Build(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(KanStepNames.FormulaBuild);

        context.RegisterSourceOutput(results, static (production, result) =>
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                production.ReportDiagnostic(Diagnostic.Create(KanDiagnostics.ById[diagnostic.Id], diagnostic.Location?.ToLocation(), diagnostic.Arguments.ToArray()));
            }

            if (result.Source is not null)
            {
                production.AddSource(result.HintName, SourceText.From(result.Source, System.Text.Encoding.UTF8));
            }
        });
    }
}
