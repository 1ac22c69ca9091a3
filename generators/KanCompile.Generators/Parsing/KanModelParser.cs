using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using KanCompile.Generators.Diagnostics;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Helpers;
using KanCompile.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KanCompile.Generators.Parsing;

/// <summary>
/// The pipeline's transform: reads one [KanModel] class into a <see cref="KanModelSpec"/> plus
/// diagnostics. Symbols are used here and nowhere after; the result holds plain values only.
/// </summary>
internal static class KanModelParser
{
    /// <summary>Largest parameter count a compiled model may have (keeps every offset well inside int).</summary>
    public const int MaxParameters = 1 << 27;

    public static KanModelParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (ClassDeclarationSyntax)context.TargetNode;
        LocationInfo? location = LocationInfo.From(declaration.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();
        string name = type.Name;

        void Report(DiagnosticDescriptor descriptor, params object[] arguments) =>
            diagnostics.Add(new DiagnosticInfo(
                descriptor.Id,
                location,
                arguments.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? string.Empty).ToEquatableArray()));

        try
        {
            AttributeData attribute = context.Attributes[0];
            if (attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
                || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error))
            {
                // The compiler already reports malformed attribute arguments.
                return new KanModelParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
            }

            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                Report(KanDiagnostics.NotPartial, name);
            }

            if (type.IsStatic || type.IsAbstract)
            {
                Report(KanDiagnostics.NotInstantiable, name, type.IsStatic ? "static" : "abstract");
            }

            if (type.IsGenericType)
            {
                Report(KanDiagnostics.UnsupportedContainingType, name, "generic");
            }
            else if (type.ContainingType is not null)
            {
                Report(KanDiagnostics.UnsupportedContainingType, name, "nested in '" + type.ContainingType.Name + "'");
            }

            if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType
                && baseType.ToDisplayString() != "KanCompile.KanModel")
            {
                Report(KanDiagnostics.HasBaseClass, name, baseType.ToDisplayString());
            }

            int[] widths = ReadIntArray(attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0] : default);
            int gridSize = 5, splineOrder = 3, baseFunction = 0;
            double gridMin = -1.0, gridMax = 1.0;
            int[] extensions = Array.Empty<int>();
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                switch (argument.Key)
                {
                    case "GridSize":
                        gridSize = Convert.ToInt32(argument.Value.Value, CultureInfo.InvariantCulture);
                        break;
                    case "SplineOrder":
                        splineOrder = Convert.ToInt32(argument.Value.Value, CultureInfo.InvariantCulture);
                        break;
                    case "GridMin":
                        gridMin = Convert.ToDouble(argument.Value.Value, CultureInfo.InvariantCulture);
                        break;
                    case "GridMax":
                        gridMax = Convert.ToDouble(argument.Value.Value, CultureInfo.InvariantCulture);
                        break;
                    case "GridExtensions":
                        extensions = ReadIntArray(argument.Value);
                        break;
                    case "BaseFunction":
                        baseFunction = Convert.ToInt32(argument.Value.Value, CultureInfo.InvariantCulture);
                        break;
                }
            }

            if (widths.Length < 2)
            {
                Report(KanDiagnostics.TooFewWidths, name, widths.Length);
            }

            for (int l = 0; l < widths.Length; l++)
            {
                if (widths[l] < 1)
                {
                    Report(KanDiagnostics.WidthTooSmall, name, l, widths[l]);
                }
            }

            if (gridSize < 1)
            {
                Report(KanDiagnostics.GridSizeTooSmall, name, gridSize);
            }

            if (splineOrder < 0 || splineOrder > 7)
            {
                Report(KanDiagnostics.SplineOrderOutOfRange, name, splineOrder);
            }

            if (double.IsNaN(gridMin) || double.IsInfinity(gridMin) || double.IsNaN(gridMax) || double.IsInfinity(gridMax) || gridMin >= gridMax)
            {
                Report(KanDiagnostics.InvalidGridRange, name, gridMin, gridMax);
            }

            int previous = gridSize;
            foreach (int extension in extensions)
            {
                if (extension <= previous)
                {
                    Report(KanDiagnostics.InvalidGridExtensions, name, gridSize, extension);
                    break;
                }

                previous = extension;
            }

            if (baseFunction < 0 || baseFunction > 2)
            {
                Report(KanDiagnostics.InvalidBaseFunction, name, baseFunction);
            }

            if (diagnostics.Count == 0)
            {
                CheckSize(widths, extensions.Length == 0 ? gridSize : extensions[extensions.Length - 1], splineOrder, baseFunction, name, Report);
            }

            if (diagnostics.Count != 0)
            {
                return new KanModelParseResult(null, diagnostics.ToEquatableArray());
            }

            string? ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
            var spec = new KanModelSpec(
                ns,
                name,
                (ns is null ? string.Empty : ns + ".") + name + ".Kan.g.cs",
                widths.ToEquatableArray(),
                gridSize,
                splineOrder,
                gridMin,
                gridMax,
                extensions.ToEquatableArray(),
                baseFunction);
            return new KanModelParseResult(spec, EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never throw into the compiler: an internal failure becomes a diagnostic.
            Report(KanDiagnostics.GeneratorFailure, name, exception.GetType().Name + ": " + exception.Message);
            return new KanModelParseResult(null, diagnostics.ToEquatableArray());
        }
    }

    private static void CheckSize(int[] widths, int largestGrid, int splineOrder, int baseFunction, string name, Action<DiagnosticDescriptor, object[]> report)
    {
        var spec = new KernelSpec(widths, largestGrid, splineOrder, (KernelBaseFunction)baseFunction);
        long scratch = KernelEmitter.ScratchBytes(spec);
        if (scratch > KernelEmitter.MaxScratchBytes)
        {
            report(KanDiagnostics.ModelTooLarge, new object[] { name, scratch + " bytes of stack scratch per sample", KernelEmitter.MaxScratchBytes + " bytes" });
            return;
        }

        long parameters = 0;
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            parameters += (long)widths[l] * widths[l + 1] * (largestGrid + splineOrder + 2);
        }

        if (parameters > MaxParameters)
        {
            report(KanDiagnostics.ModelTooLarge, new object[] { name, parameters + " parameters", MaxParameters + " parameters" });
        }
    }

    private static int[] ReadIntArray(TypedConstant constant)
    {
        if (constant.Kind != TypedConstantKind.Array || constant.Values.IsDefault)
        {
            return Array.Empty<int>();
        }

        return constant.Values.Select(v => Convert.ToInt32(v.Value, CultureInfo.InvariantCulture)).ToArray();
    }
}
