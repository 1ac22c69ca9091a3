using KanCompile.Generators.Diagnostics;
using KanCompile.Generators.Generation;
using KanCompile.Generators.Model;
using KanCompile.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace KanCompile.Generators;

/// <summary>
/// Turns every <c>[KanModel]</c> partial class into a compiled Kolmogorov-Arnold Network.
/// Pipeline: a dumb predicate (any class declaration), a smart transform (<see cref="KanModelParser"/>)
/// that reduces the class to an equatable <see cref="KanModelSpec"/> plus diagnostics, then two outputs:
/// diagnostics are reported from their own step, and source is emitted from the spec alone, so the
/// emitter re-runs only when the model's declaration changes.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KanModelGenerator : IIncrementalGenerator
{
    internal const string AttributeName = "KanCompile.KanModelAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<KanModelParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeName,
                // Record classes are let through only to be told (KAN0008) that they are not supported.
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword },
                transform: static (syntaxContext, cancellationToken) => KanModelParser.Parse(syntaxContext, cancellationToken))
            .WithTrackingName(KanStepNames.Parse);

        IncrementalValuesProvider<DiagnosticInfo> diagnostics = parsed
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(KanStepNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (production, diagnostic) =>
            production.ReportDiagnostic(Diagnostic.Create(
                KanDiagnostics.ById[diagnostic.Id],
                diagnostic.Location?.ToLocation(),
                diagnostic.Arguments.ToArray())));

        IncrementalValuesProvider<KanModelSpec> specs = parsed
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(KanStepNames.Spec);
        context.RegisterSourceOutput(specs, static (production, spec) => Emit(production, spec));
    }

    private static void Emit(SourceProductionContext production, KanModelSpec spec)
    {
        string source;
        try
        {
            source = ModelClassEmitter.Emit(spec);
        }
        catch (System.Exception exception)
        {
            production.ReportDiagnostic(Diagnostic.Create(KanDiagnostics.GeneratorFailure, null, spec.ClassName, exception.GetType().Name + ": " + exception.Message));
            return;
        }

        production.AddSource(spec.HintName, SourceText.From(source, System.Text.Encoding.UTF8));
    }
}
