using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using KanCompile.Generators.Diagnostics;
using KanCompile.Generators.Generation;
using KanCompile.Generators.Helpers;
using KanCompile.Generators.Model;
using KanCompile.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KanCompile.Generators.Formulas;

/// <summary>The [KanFormula] pipeline's two transforms: class → request, request + files → source.</summary>
internal static class KanFormulaBuilder
{
    public static KanFormulaRequest Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (ClassDeclarationSyntax)context.TargetNode;
        LocationInfo? location = LocationInfo.From(declaration.Identifier.GetLocation());
        string? ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        string fullName = (ns is null ? string.Empty : ns.Replace("@", string.Empty) + ".") + type.Name;
        string hint = fullName + "." + KanModelParser.StableHash(fullName) + ".KanFormula.g.cs";
        AttributeData attribute = context.Attributes[0];
        string path = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string text ? text : string.Empty;
        var diagnostics = new System.Collections.Generic.List<DiagnosticInfo>();
        bool isStaticPartial = type.IsStatic && declaration.Modifiers.Any(SyntaxKind.PartialKeyword);
        if (!isStaticPartial || type.ContainingType is not null || type.IsGenericType)
        {
            diagnostics.Add(Info(KanDiagnostics.FormulaClassShape, location, type.Name));
        }
        else if (path.Length == 0)
        {
            diagnostics.Add(Info(KanDiagnostics.FormulaFileMissing, location, type.Name, path));
        }

        return new KanFormulaRequest(ns, type.Name, hint, path, location, diagnostics.ToEquatableArray());
    }

    public static KanFormulaResult Build(KanFormulaRequest request, EquatableArray<AdditionalFileInfo> files, CancellationToken cancellationToken)
    {
        if (!request.Diagnostics.IsEmpty)
        {
            return new KanFormulaResult(request.HintName, null, request.Diagnostics);
        }

        string wanted = Normalize(request.ModelPath);
        AdditionalFileInfo? file = files.FirstOrDefault(f => Normalize(f.Path).EndsWith("/" + wanted, StringComparison.Ordinal) || Normalize(f.Path) == wanted);
        if (file is null)
        {
            return Fail(request, Info(KanDiagnostics.FormulaFileMissing, request.Location, request.ClassName, request.ModelPath));
        }

        if (file.Text is null)
        {
            return Fail(request, Info(KanDiagnostics.FormulaFileInvalid, request.Location, request.ClassName, request.ModelPath, "the file could not be read"));
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExportModel model = ModelFileReader.Read(file.Text);

            // The exporter KanModel.ExportCSharp runs: baked splines, the simplified formula, or both mixed.
            string source = ModelExportEmitter.Emit(model, request.ClassName, request.Namespace, ModelClassEmitter.Version, partialClass: true);
            return new KanFormulaResult(request.HintName, source, EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (UnknownSymbolicFunctionException exception)
        {
            return Fail(request, Info(KanDiagnostics.FormulaUnknownFunction, request.Location, request.ClassName, request.ModelPath, exception.FunctionName));
        }
        catch (FormatException exception)
        {
            // The schema's texts are sentences (as KanModel.Load reports them); the diagnostic adds its own full stop.
            return Fail(request, Info(KanDiagnostics.FormulaFileInvalid, request.Location, request.ClassName, request.ModelPath, exception.Message.TrimEnd('.')));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return Fail(request, Info(KanDiagnostics.GeneratorFailure, request.Location, request.ClassName, exception.GetType().Name + ": " + exception.Message));
        }
    }

    private static KanFormulaResult Fail(KanFormulaRequest request, DiagnosticInfo diagnostic) =>
        new KanFormulaResult(request.HintName, null, new[] { diagnostic }.ToEquatableArray());

    private static string Normalize(string path) => path.Replace('\\', '/').TrimStart('.', '/');

    private static DiagnosticInfo Info(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new DiagnosticInfo(descriptor.Id, location, arguments.Select(a => a.ToString(CultureInfo.InvariantCulture)).ToEquatableArray());
}
