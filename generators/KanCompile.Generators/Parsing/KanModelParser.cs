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
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
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
                || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error)
                || declaration.Identifier.IsMissing
                || type.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() == KanModelGenerator.AttributeName) > 1)
            {
                // The compiler already reports malformed attribute arguments, a class without a name and a
                // repeated [KanModel] (CS0579); generating here would only add noise or duplicate sources.
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

            if (declaration is RecordDeclarationSyntax)
            {
                Report(KanDiagnostics.UnsupportedContainingType, name, "a record");
            }
            else if (type.IsGenericType)
            {
                Report(KanDiagnostics.UnsupportedContainingType, name, "generic");
            }
            else if (type.ContainingType is not null)
            {
                Report(KanDiagnostics.UnsupportedContainingType, name, "nested in '" + type.ContainingType.Name + "'");
            }
            else if (type.IsFileLocal)
            {
                // The generated half lives in another file, where a file-local class is out of reach.
                Report(KanDiagnostics.UnsupportedContainingType, name, "file-local");
            }

            if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType
                && baseType.ToDisplayString() != "KanCompile.KanModel")
            {
                Report(KanDiagnostics.HasBaseClass, name, baseType.ToDisplayString());
            }

            // Values are read by exact type: a same-named attribute of another shape (a look-alike declared in
            // source) is not KanCompile's, and converting its strings or objects would throw.
            bool shapeMatches = true;
            int[] widths = attribute.ConstructorArguments.Length > 0 ? ReadIntArray(attribute.ConstructorArguments[0], ref shapeMatches) : Array.Empty<int>();
            int gridSize = 5, splineOrder = 3, baseFunction = 0;
            double gridMin = -1.0, gridMax = 1.0;
            int[] extensions = Array.Empty<int>();
            int[] multiplication = Array.Empty<int>();
            int arity = KernelSpec.DefaultMultiplicationArity;

            // KanModelAttribute.BeyondGrid's default: KanBeyondGrid.Pykan.
            int beyondGrid = (int)KernelBeyondGrid.Pykan;
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                switch (argument.Key)
                {
                    case "GridSize":
                        gridSize = ReadInt(argument.Value, ref shapeMatches);
                        break;
                    case "SplineOrder":
                        splineOrder = ReadInt(argument.Value, ref shapeMatches);
                        break;
                    case "GridMin":
                        gridMin = ReadDouble(argument.Value, ref shapeMatches);
                        break;
                    case "GridMax":
                        gridMax = ReadDouble(argument.Value, ref shapeMatches);
                        break;
                    case "GridExtensions":
                        extensions = ReadIntArray(argument.Value, ref shapeMatches);
                        break;
                    case "BaseFunction":
                        baseFunction = ReadInt(argument.Value, ref shapeMatches);
                        break;
                    case "MultiplicationNodes":
                        multiplication = ReadIntArray(argument.Value, ref shapeMatches);
                        break;
                    case "MultiplicationArity":
                        arity = ReadInt(argument.Value, ref shapeMatches);
                        break;
                    case "BeyondGrid":
                        beyondGrid = ReadInt(argument.Value, ref shapeMatches);
                        break;
                }
            }

            if (!shapeMatches)
            {
                return new KanModelParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
            }

            if (widths.Length < 2)
            {
                Report(KanDiagnostics.TooFewWidths, name, widths.Length);
            }

            bool multiplicationValid = CheckMultiplication(widths, multiplication, arity, name, Report);
            for (int l = 0; l < widths.Length; l++)
            {
                int multiplicationNodes = multiplicationValid && multiplication.Length != 0 ? multiplication[l] : 0;
                if (widths[l] < 0 || widths[l] + multiplicationNodes < 1)
                {
                    Report(KanDiagnostics.WidthTooSmall, name, l, widths[l]);
                }
            }

            if (gridSize < 1)
            {
                Report(KanDiagnostics.GridSizeTooSmall, name, gridSize);
            }

            if (splineOrder < 0 || splineOrder > KernelSpec.MaxSplineOrder)
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

            if (beyondGrid != (int)KernelBeyondGrid.Pykan && beyondGrid != (int)KernelBeyondGrid.Smooth)
            {
                Report(KanDiagnostics.InvalidBeyondGrid, name, beyondGrid);
            }

            if (diagnostics.Count == 0)
            {
                CheckSize(widths, multiplication, arity, extensions.Length == 0 ? gridSize : extensions[extensions.Length - 1], splineOrder, baseFunction, name, Report);
            }

            if (diagnostics.Count != 0)
            {
                return new KanModelParseResult(null, diagnostics.ToEquatableArray());
            }

            // The namespace is displayed with keywords escaped (@event) for the code; hint names cannot hold '@'.
            string? ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
            string fullName = (ns is null ? string.Empty : ns.Replace("@", string.Empty) + ".") + name;
            string hintName = HasCaseTwin(type, context.SemanticModel.Compilation)
                ? fullName + "." + StableHash(fullName) + ".Kan.g.cs"
                : fullName + ".Kan.g.cs";
            var spec = new KanModelSpec(
                ns,
                name,
                hintName,
                widths.ToEquatableArray(),
                gridSize,
                splineOrder,
                gridMin,
                gridMax,
                extensions.ToEquatableArray(),
                baseFunction,
                (multiplication.Length == 0 ? new int[widths.Length] : multiplication).ToEquatableArray(),
                multiplication.Any(m => m != 0) ? arity : KernelSpec.DefaultMultiplicationArity,
                beyondGrid);
            return new KanModelParseResult(spec, EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never throw into the compiler: an internal failure becomes a diagnostic.
            Report(KanDiagnostics.GeneratorFailure, name, exception.GetType().Name + ": " + exception.Message);
            return new KanModelParseResult(null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>
    /// Multiplication nodes (pykan's MultKAN): one non-negative count per width, none on the input or output layer,
    /// arity at least 2. Returns false when the counts cannot be used to size the layers.
    /// </summary>
    private static bool CheckMultiplication(int[] widths, int[] multiplication, int arity, string name, Action<DiagnosticDescriptor, object[]> report)
    {
        if (arity < 2)
        {
            report(KanDiagnostics.MultiplicationArityTooSmall, new object[] { name, arity });
        }

        if (multiplication.Length == 0)
        {
            return true;
        }

        if (multiplication.Length != widths.Length)
        {
            report(KanDiagnostics.MultiplicationCountMismatch, new object[] { name, multiplication.Length, widths.Length });
            return false;
        }

        bool valid = true;
        for (int l = 0; l < multiplication.Length; l++)
        {
            if (multiplication[l] < 0)
            {
                report(KanDiagnostics.NegativeMultiplicationCount, new object[] { name, l, multiplication[l] });
                valid = false;
            }
            else if (multiplication[l] != 0 && (l == 0 || l == multiplication.Length - 1))
            {
                report(KanDiagnostics.MultiplicationOnInputOrOutput, new object[] { name, l == 0 ? "input" : "output", multiplication[l] });
                valid = false;
            }
        }

        return valid;
    }

    private static void CheckSize(int[] widths, int[] multiplication, int arity, int largestGrid, int splineOrder, int baseFunction, string name, Action<DiagnosticDescriptor, object[]> report)
    {
        var spec = new KernelSpec(widths, largestGrid, splineOrder, (KernelBaseFunction)baseFunction, multiplication, arity);
        long scratch = KernelEmitter.ScratchBytes(spec);
        if (scratch > KernelEmitter.MaxScratchBytes)
        {
            report(KanDiagnostics.ModelTooLarge, new object[] { name, scratch + " bytes of stack scratch per sample", KernelEmitter.MaxScratchBytes + " bytes" });
            return;
        }

        long parameters = 0;
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            // In long: G + k + 2 overflows int for grid sizes near int.MaxValue and would pass the check.
            parameters += (long)spec.Width(l) * spec.SubnodeWidth(l + 1) * ((long)largestGrid + splineOrder + 2);
        }

        if (parameters > MaxParameters)
        {
            report(KanDiagnostics.ModelTooLarge, new object[] { name, parameters + " parameters", MaxParameters + " parameters" });
        }
    }

    /// <summary>
    /// True when another [KanModel] class's full name equals this one's ignoring case. Hint names are
    /// compared ignoring case, so both would map to the same file and the driver would drop every output.
    /// </summary>
    private static bool HasCaseTwin(INamedTypeSymbol type, Compilation compilation)
    {
        var path = new List<string>();
        for (INamespaceSymbol ns = type.ContainingNamespace; !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            path.Insert(0, ns.Name);
        }

        IEnumerable<INamespaceSymbol> namespaces = new[] { compilation.GlobalNamespace };
        foreach (string segment in path)
        {
            namespaces = namespaces
                .SelectMany(ns => ns.GetNamespaceMembers())
                .Where(ns => string.Equals(ns.Name, segment, StringComparison.OrdinalIgnoreCase))
                .ToList();
        }

        return namespaces
            .SelectMany(ns => ns.GetTypeMembers())
            .Any(other => !SymbolEqualityComparer.Default.Equals(other, type)
                && string.Equals(other.Name, type.Name, StringComparison.OrdinalIgnoreCase)
                && other.DeclaringSyntaxReferences.Length > 0
                && other.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KanModelGenerator.AttributeName));
    }

    /// <summary>FNV-1a of the exact name: differs for names that differ only in case, same on every run.</summary>
    internal static string StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }

    private static int[] ReadIntArray(TypedConstant constant, ref bool shapeMatches)
    {
        if (constant.Kind != TypedConstantKind.Array || constant.Values.IsDefault)
        {
            // A null array (e.g. GridExtensions = null) counts as empty; a non-array is another attribute's shape.
            shapeMatches &= constant.IsNull || constant.Kind == TypedConstantKind.Array;
            return Array.Empty<int>();
        }

        var values = new int[constant.Values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ReadInt(constant.Values[i], ref shapeMatches);
        }

        return values;
    }

    private static int ReadInt(TypedConstant constant, ref bool shapeMatches)
    {
        // Enum constants (BaseFunction) carry their underlying int.
        if (constant.Value is int value)
        {
            return value;
        }

        shapeMatches = false;
        return 0;
    }

    private static double ReadDouble(TypedConstant constant, ref bool shapeMatches)
    {
        if (constant.Value is double value)
        {
            return value;
        }

        shapeMatches = false;
        return 0.0;
    }
}
