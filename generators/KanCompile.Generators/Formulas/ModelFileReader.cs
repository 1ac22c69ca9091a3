using System;
using System.Collections.Generic;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;
using KanCompile.Persistence;
using KanCompile.Symbolic;
using static KanCompile.Persistence.KanModelSchema;

namespace KanCompile.Generators.Formulas;

/// <summary>A model file's symbolic edge names a function outside the built-in library (a user's AddSymbolic entry).</summary>
internal sealed class UnknownSymbolicFunctionException : Exception
{
    public UnknownSymbolicFunctionException(string functionName, string field)
        : base(field + " is '" + functionName + "'")
    {
        FunctionName = functionName;
    }

    public string FunctionName { get; }
}

/// <summary>
/// Reads a KanCompile model file (format "kancompile.model", the runtime's <c>KanModelFile</c>) inside the
/// generator, straight into the state the shared exporter reads (<see cref="ExportModel"/>, the same type
/// <c>KanModel.ExportCSharp</c> fills from a live model). The rules and problem texts are
/// <see cref="KanModelSchema"/>'s, which <c>KanModel.Load</c> applies too: every problem throws
/// <see cref="FormatException"/> with the text the runtime's <c>KanModelFileException.Problem</c> would hold.
/// </summary>
internal static class ModelFileReader
{
    public static ExportModel Read(string text)
    {
        if (!(JsonReader.Parse(text) is Dictionary<string, object?> root))
        {
            throw new FormatException("the file is not a JSON object");
        }

        Check(FormatProblem(root.TryGetValue(Format, out object? format) ? format as string : null));
        if (!root.TryGetValue(KanModelSchema.Version, out object? versionField))
        {
            throw new FormatException(MissingVersion);
        }

        Check(VersionProblem(ToInteger(versionField, KanModelSchema.Version)));
        int[] widths = Integers(List(root, Width), Width);

        // Multiplication nodes (version 2): one count per width; pykan's arity unless the file gives one.
        int[] multiplication = root.TryGetValue(MultNodes, out object? multiplicationField) && multiplicationField is List<object?> multiplicationList
            ? Integers(multiplicationList, MultNodes)
            : new int[widths.Length];
        int arity = root.TryGetValue(MultArity, out object? arityField) && arityField is not null
            ? ToInteger(arityField, MultArity)
            : KernelSpec.DefaultMultiplicationArity;
        Check(MultiplicationProblem(widths, multiplication, arity));
        Check(WidthProblem(widths, multiplication));

        int g = Integer(root, GridIntervals);
        int k = Integer(root, SplineOrder);
        Check(GridProblem(g, k));

        string baseName = Get(root, BaseFun) as string ?? throw new FormatException(MissingField(BaseFun));
        KernelBaseFunction baseFunction = ParseBaseFunction(baseName) ?? throw new FormatException(UnknownBaseFunction(baseName));

        // Version 3: "smooth" splines continue beyond the grid; no field (every older file) is pykan's behaviour.
        string? beyondName = root.TryGetValue(BeyondGrid, out object? beyondField) ? beyondField as string : null;
        KernelBeyondGrid beyondGrid = ParseBeyondGrid(beyondName) ?? throw new FormatException(UnknownBeyondGrid(beyondName!));

        List<object?> rangeList = List(root, GridRange);
        var range = new double[rangeList.Count];
        for (int i = 0; i < range.Length; i++)
        {
            range[i] = rangeList[i] is double bound ? bound : double.NaN;
        }

        Check(GridRangeProblem(range));
        Integer(root, Seed);

        var spec = new KernelSpec(widths, g, k, baseFunction, multiplication, arity, beyondGrid);
        var layout = new KernelLayout(spec);
        var parameters = new double[layout.ParameterCount];
        var knots = new double[layout.NodeOffset[spec.Depth] * layout.KnotCount];
        var masks = new double[layout.EdgeCount];
        List<object?> layers = List(root, Layers);
        Check(LayerCountProblem(layers.Count, widths));
        for (int l = 0; l < spec.Depth; l++)
        {
            string name = "layers[" + l + "]";
            if (!(layers[l] is Dictionary<string, object?> layer))
            {
                throw new FormatException(NullEntry(name));
            }

            int inputs = spec.Width(l), outputs = spec.SubnodeWidth(l + 1);
            List<object?> grid = Rows(layer, name + "." + Grid, inputs, InputNodesMeaning);
            List<object?> coef = Rows(layer, name + "." + Coef, inputs, InputNodesMeaning);
            List<object?> scaleBase = Rows(layer, name + "." + ScaleBase, inputs, InputNodesMeaning);
            List<object?> scaleSpline = Rows(layer, name + "." + ScaleSp, inputs, InputNodesMeaning);
            List<object?> mask = Rows(layer, name + "." + Mask, inputs, InputNodesMeaning);
            for (int i = 0; i < inputs; i++)
            {
                string nodeGrid = name + "." + Grid + "[" + i + "]";
                int knotOffset = (layout.NodeOffset[l] + i) * layout.KnotCount;
                Fill(grid[i], layout.KnotCount, KnotsMeaning, knots, knotOffset, nodeGrid);
                var nodeKnots = new double[layout.KnotCount];
                Array.Copy(knots, knotOffset, nodeKnots, 0, nodeKnots.Length);
                Check(KnotProblem(nodeGrid, nodeKnots));

                string edgesName = name + "." + Coef + "[" + i + "]";
                List<object?> edges = coef[i] as List<object?> ?? throw new FormatException(NullEntry(edgesName));
                Check(LengthProblem(edges.Count, outputs, edgesName, OutputNodesMeaning));
                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    Fill(edges[j], layout.CoefficientsPerEdge, CoefficientsMeaning, parameters, layout.CoefficientOffset[l] + e * layout.CoefficientsPerEdge, edgesName + "[" + j + "]");
                }

                Fill(scaleBase[i], outputs, OutputNodesMeaning, parameters, layout.ScaleBaseOffset[l] + i * outputs, name + "." + ScaleBase + "[" + i + "]");
                Fill(scaleSpline[i], outputs, OutputNodesMeaning, parameters, layout.ScaleSplineOffset[l] + i * outputs, name + "." + ScaleSp + "[" + i + "]");
                Fill(mask[i], outputs, OutputNodesMeaning, masks, layout.MaskOffset[l] + i * outputs, name + "." + Mask + "[" + i + "]");
            }
        }

        var functions = new SymbolicFunction?[layout.EdgeCount];
        var affine = new double[layout.EdgeCount * ExportModel.AffinePerEdge];
        var symbolicMasks = new double[layout.EdgeCount];
        ReadSymbolicEdges(root, layout, functions, affine, symbolicMasks);

        // The file holds the real knots ([layer][node][G+2k+1]); the exporter reads the padded kernel table.
        return new ExportModel(spec, parameters, KnotTable.Build(layout, knots), masks, functions, affine, symbolicMasks);
    }

    /// <summary>The optional "symbolic_edges" list, checked as the runtime's KanModel.Load checks it.</summary>
    private static void ReadSymbolicEdges(Dictionary<string, object?> root, KernelLayout layout, SymbolicFunction?[] functions, double[] affine, double[] symbolicMasks)
    {
        if (!root.TryGetValue(SymbolicEdges, out object? value) || value is null)
        {
            return;
        }

        if (!(value is List<object?> edges))
        {
            throw new FormatException("\"" + SymbolicEdges + "\" must be an array or null");
        }

        KernelSpec spec = layout.Spec;
        var seen = new HashSet<int>();
        for (int k = 0; k < edges.Count; k++)
        {
            string name = SymbolicEdges + "[" + k + "]";
            if (!(edges[k] is Dictionary<string, object?> document))
            {
                throw new FormatException(NullEntry(name));
            }

            int layer = Index(document, "layer", name, spec.Depth, "layers");
            int input = Index(document, "input", name, spec.Width(layer), "input nodes in layer " + layer);
            int output = Index(document, "output", name, spec.SubnodeWidth(layer + 1), "output nodes in layer " + layer);
            int edge = layout.EdgeOffset[layer] + input * spec.SubnodeWidth(layer + 1) + output;
            // Entries that are not numbers read as NaN, which the schema's rule rejects like any other non-finite value.
            double[]? affineValues = document.TryGetValue("affine", out object? affineField) && affineField is List<object?> affineList
                ? affineList.ConvertAll(v => v is double number ? number : double.NaN).ToArray()
                : null;
            double? maskValue = document.TryGetValue(Mask, out object? maskField) ? maskField as double? : null;
            Check(SymbolicValuesProblem(name, affineValues, maskValue));
            Array.Copy(affineValues!, 0, affine, edge * ExportModel.AffinePerEdge, ExportModel.AffinePerEdge);
            double mask = maskValue!.Value;

            object? functionField = document.TryGetValue("function", out object? function) ? function : null;
            if (functionField is string functionName)
            {
                functions[edge] = SymbolicLibrary.Default.TryGet(functionName, out SymbolicFunction? builtIn)
                    ? builtIn
                    : throw new UnknownSymbolicFunctionException(functionName, name + ".function");
            }
            else if (functionField is not null)
            {
                throw new FormatException(name + ".function must be a string or null");
            }

            if (!seen.Add(edge))
            {
                throw new FormatException(RepeatedSymbolicEdge(name, layer, input, output));
            }

            symbolicMasks[edge] = mask;
        }
    }

    private static int Index(Dictionary<string, object?> node, string field, string name, int count, string what)
    {
        int? index = node.TryGetValue(field, out object? value) && value is not null ? ToInteger(value, name + "." + field) : null;
        Check(SymbolicIndexProblem(name + "." + field, index, count, what));
        return index!.Value;
    }

    private static void Check(string? problem)
    {
        if (problem is not null)
        {
            throw new FormatException(problem);
        }
    }

    private static object? Get(Dictionary<string, object?> node, string name) =>
        node.TryGetValue(name, out object? value) ? value : throw new FormatException(MissingField(name));

    private static int Integer(Dictionary<string, object?> node, string name) => ToInteger(Get(node, name), name);

    private static int ToInteger(object? value, string name) =>
        value is double number && number == Math.Floor(number) && Math.Abs(number) < int.MaxValue
            ? (int)number
            : throw new FormatException("\"" + name + "\" must be an integer.");

    private static int[] Integers(List<object?> list, string name)
    {
        var values = new int[list.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ToInteger(list[i], name + "[" + i + "]");
        }

        return values;
    }

    private static List<object?> List(Dictionary<string, object?> node, string name) =>
        Get(node, name) as List<object?> ?? throw new FormatException("\"" + name + "\" must be an array.");

    private static List<object?> Rows(Dictionary<string, object?> layer, string name, int count, string meaning)
    {
        string field = name.Substring(name.LastIndexOf('.') + 1);
        List<object?> rows = (layer.TryGetValue(field, out object? value) ? value : throw new FormatException(MissingField(name))) as List<object?>
            ?? throw new FormatException("\"" + name + "\" must be an array.");
        Check(LengthProblem(rows.Count, count, name, meaning));
        return rows;
    }

    private static void Fill(object? value, int count, string meaning, double[] target, int offset, string name)
    {
        List<object?> list = value as List<object?> ?? throw new FormatException(NullEntry(name));
        Check(LengthProblem(list.Count, count, name, meaning));
        for (int i = 0; i < count; i++)
        {
            if (!(list[i] is double number))
            {
                throw new FormatException("\"" + name + "[" + i + "]\" must be a number.");
            }

            if (double.IsNaN(number) || double.IsInfinity(number))
            {
                throw new FormatException(KanModelSchema.NonFinite(name + "[" + i + "]", number));
            }

            target[offset + i] = number;
        }
    }
}
