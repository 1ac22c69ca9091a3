using System;
using System.Collections.Generic;
using System.Globalization;
using KanCompile.Generators.Emit;
using KanCompile.Generators.Model;
using KanCompile.Symbolic;

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
/// <c>KanModel.ExportCSharp</c> fills from a live model). Every problem throws <see cref="FormatException"/>
/// with a message naming the field.
/// </summary>
internal static class ModelFileReader
{
    private const string FormatName = "kancompile.model";
    private const int SupportedVersion = 3;

    public static ExportModel Read(string text)
    {
        if (!(JsonReader.Parse(text) is Dictionary<string, object?> root))
        {
            throw new FormatException("the file is not a JSON object");
        }

        if (!(Get(root, "format") is string format) || format != FormatName)
        {
            throw new FormatException("\"format\" must be \"" + FormatName + "\"");
        }

        int version = Integer(root, "version");
        if (version > SupportedVersion)
        {
            throw new FormatException("the file has version " + version + " but this KanCompile reads up to version " + SupportedVersion + "; update KanCompile");
        }

        List<object?> widthList = List(root, "width");
        var widths = new int[widthList.Count];
        for (int l = 0; l < widths.Length; l++)
        {
            widths[l] = ToInteger(widthList[l], "width[" + l + "]");
        }

        // Multiplication nodes (version 2): one count per width, validated like [KanModel]'s.
        var multiplication = new int[widths.Length];
        int arity = KernelSpec.DefaultMultiplicationArity;
        if (root.TryGetValue("mult_nodes", out object? multiplicationField) && multiplicationField is List<object?> multiplicationList)
        {
            if (multiplicationList.Count != widths.Length)
            {
                throw new FormatException("\"mult_nodes\" must have one entry per width");
            }

            for (int l = 0; l < widths.Length; l++)
            {
                multiplication[l] = ToInteger(multiplicationList[l], "mult_nodes[" + l + "]");
            }

            arity = Integer(root, "mult_arity");
            if (arity < 2 || multiplication[0] != 0 || multiplication[widths.Length - 1] != 0 || Array.Exists(multiplication, m => m < 0))
            {
                throw new FormatException("\"mult_nodes\" must be non-negative and 0 on the input and output layers, and \"mult_arity\" at least 2");
            }
        }

        for (int l = 0; l < widths.Length; l++)
        {
            if (widths[l] < 0 || widths[l] + multiplication[l] < 1)
            {
                throw new FormatException("width[" + l + "] must be at least 1");
            }
        }

        if (widths.Length < 2)
        {
            throw new FormatException("\"width\" needs at least two entries");
        }

        int g = Integer(root, "grid_intervals");
        int k = Integer(root, "spline_order");
        if (g < 1 || k < 0 || k > 7)
        {
            throw new FormatException("\"grid_intervals\" must be at least 1 and \"spline_order\" between 0 and 7");
        }

        KernelBaseFunction baseFunction;
        switch (Get(root, "base_fun") as string)
        {
            case "silu": baseFunction = KernelBaseFunction.SiLU; break;
            case "identity": baseFunction = KernelBaseFunction.Identity; break;
            case "zero": baseFunction = KernelBaseFunction.Zero; break;
            default: throw new FormatException("\"base_fun\" must be \"silu\", \"identity\" or \"zero\"");
        }

        // Version 3: "smooth" splines continue beyond the grid; no field (every older file) is pykan's behaviour.
        KernelBeyondGrid beyondGrid;
        switch (root.TryGetValue("beyond_grid", out object? beyondField) ? beyondField : null)
        {
            case null:
            case "pykan": beyondGrid = KernelBeyondGrid.Pykan; break;
            case "smooth": beyondGrid = KernelBeyondGrid.Smooth; break;
            default: throw new FormatException("\"beyond_grid\" must be \"smooth\" or \"pykan\"");
        }

        var spec = new KernelSpec(widths, g, k, baseFunction, multiplication, arity, beyondGrid);
        var layout = new KernelLayout(spec);
        var parameters = new double[layout.ParameterCount];
        var knots = new double[layout.NodeOffset[spec.Depth] * layout.KnotCount];
        var masks = new double[layout.EdgeCount];
        List<object?> layers = List(root, "layers");
        if (layers.Count != spec.Depth)
        {
            throw new FormatException("\"layers\" has " + layers.Count + " entries; the widths need " + spec.Depth);
        }

        for (int l = 0; l < spec.Depth; l++)
        {
            if (!(layers[l] is Dictionary<string, object?> layer))
            {
                throw new FormatException("layers[" + l + "] is not an object");
            }

            int inputs = spec.Width(l), outputs = spec.SubnodeWidth(l + 1);
            string where = "layers[" + l + "].";
            List<object?> grid = Rows(layer, "grid", inputs, where);
            List<object?> coef = Rows(layer, "coef", inputs, where);
            List<object?> scaleBase = Rows(layer, "scale_base", inputs, where);
            List<object?> scaleSpline = Rows(layer, "scale_sp", inputs, where);
            List<object?> mask = Rows(layer, "mask", inputs, where);
            for (int i = 0; i < inputs; i++)
            {
                Fill(grid[i], layout.KnotCount, knots, (layout.NodeOffset[l] + i) * layout.KnotCount, where + "grid[" + i + "]");
                if (!(coef[i] is List<object?> edges) || edges.Count != outputs)
                {
                    throw new FormatException(where + "coef[" + i + "] must have " + outputs + " entries");
                }

                for (int j = 0; j < outputs; j++)
                {
                    int e = i * outputs + j;
                    Fill(edges[j], layout.CoefficientsPerEdge, parameters, layout.CoefficientOffset[l] + e * layout.CoefficientsPerEdge, where + "coef[" + i + "][" + j + "]");
                }

                Fill(scaleBase[i], outputs, parameters, layout.ScaleBaseOffset[l] + i * outputs, where + "scale_base[" + i + "]");
                Fill(scaleSpline[i], outputs, parameters, layout.ScaleSplineOffset[l] + i * outputs, where + "scale_sp[" + i + "]");
                Fill(mask[i], outputs, masks, layout.MaskOffset[l] + i * outputs, where + "mask[" + i + "]");
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
        if (!root.TryGetValue("symbolic_edges", out object? value) || value is null)
        {
            return;
        }

        if (!(value is List<object?> edges))
        {
            throw new FormatException("\"symbolic_edges\" must be an array or null");
        }

        KernelSpec spec = layout.Spec;
        var seen = new HashSet<int>();
        for (int k = 0; k < edges.Count; k++)
        {
            string where = "symbolic_edges[" + k + "]";
            if (!(edges[k] is Dictionary<string, object?> document))
            {
                throw new FormatException(where + " is not an object");
            }

            int layer = Index(document, "layer", where, spec.Depth);
            int input = Index(document, "input", where, spec.Width(layer));
            int output = Index(document, "output", where, spec.SubnodeWidth(layer + 1));
            int edge = layout.EdgeOffset[layer] + input * spec.SubnodeWidth(layer + 1) + output;
            if (!seen.Add(edge))
            {
                throw new FormatException(where + " repeats edge (" + layer + "," + input + "," + output + ")");
            }

            Fill(Get(document, "affine"), ExportModel.AffinePerEdge, affine, edge * ExportModel.AffinePerEdge, where + ".affine");
            if (!(Get(document, "mask") is double mask) || double.IsNaN(mask) || double.IsInfinity(mask))
            {
                throw new FormatException(where + ".mask must be a finite number");
            }

            symbolicMasks[edge] = mask;
            object? name = document.TryGetValue("function", out object? function) ? function : null;
            if (name is string functionName)
            {
                functions[edge] = SymbolicLibrary.Default.TryGet(functionName, out SymbolicFunction? builtIn)
                    ? builtIn
                    : throw new UnknownSymbolicFunctionException(functionName, where + ".function");
            }
            else if (name is not null)
            {
                throw new FormatException(where + ".function must be a string or null");
            }
        }
    }

    private static int Index(Dictionary<string, object?> node, string name, string where, int count)
    {
        int index = ToInteger(Get(node, name), where + "." + name);
        if (index < 0 || index >= count)
        {
            throw new FormatException(where + "." + name + " is " + index + "; there are " + count);
        }

        return index;
    }

    private static object? Get(Dictionary<string, object?> node, string name) =>
        node.TryGetValue(name, out object? value) ? value : throw new FormatException("the field \"" + name + "\" is missing");

    private static int Integer(Dictionary<string, object?> node, string name) => ToInteger(Get(node, name), "\"" + name + "\"");

    private static int ToInteger(object? value, string where) =>
        value is double number && number == Math.Floor(number) && Math.Abs(number) < int.MaxValue
            ? (int)number
            : throw new FormatException(where + " must be an integer");

    private static List<object?> List(Dictionary<string, object?> node, string name) =>
        Get(node, name) as List<object?> ?? throw new FormatException("\"" + name + "\" must be an array");

    private static List<object?> Rows(Dictionary<string, object?> layer, string name, int count, string where)
    {
        List<object?> rows = Get(layer, name) as List<object?> ?? throw new FormatException(where + name + " must be an array");
        if (rows.Count != count)
        {
            throw new FormatException(where + name + " has " + rows.Count.ToString(CultureInfo.InvariantCulture) + " rows; expected " + count);
        }

        return rows;
    }

    private static void Fill(object? value, int count, double[] target, int offset, string where)
    {
        if (!(value is List<object?> list) || list.Count != count)
        {
            throw new FormatException(where + " must be an array of " + count + " numbers");
        }

        for (int i = 0; i < count; i++)
        {
            if (!(list[i] is double number) || double.IsNaN(number) || double.IsInfinity(number))
            {
                throw new FormatException(where + "[" + i + "] must be a finite number");
            }

            target[offset + i] = number;
        }
    }
}
