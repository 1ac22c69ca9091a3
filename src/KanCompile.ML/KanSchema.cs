using Microsoft.ML;
using Microsoft.ML.Data;

namespace KanCompile.ML;

/// <summary>
/// The KAN trainers' schema rules, checked before any row is read, and the reads themselves. Features: a known-size
/// vector of float32 or float64, widened to float64 (exact: every float32 is a float64; the cost is one pass over the data
/// and 8 bytes per value instead of 4). Labels: float32 (regression), Boolean (binary) or a key (multiclass, as
/// <c>MapValueToKey</c> makes). Output columns follow ML.NET's trainers: <c>Score</c>, <c>Probability</c>, <c>PredictedLabel</c>.
/// </summary>
internal static class KanSchema
{
    /// <summary>Names of a binary classifier's classes (false, true), as ML.NET prints Boolean labels.</summary>
    public static readonly string[] BinaryClassNames = ["False", "True"];

    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>The annotation kind of a key column's values (ML.NET's <c>AnnotationUtils.Kinds.KeyValues</c>, internal there).</summary>
    public const string KeyValuesKind = "KeyValues";

    /// <summary>
    /// The <see cref="SchemaShape"/> of <paramref name="schema"/>. ML.NET keeps both ways of making one internal
    /// (<c>SchemaShape.Create</c> and the column constructor), so an estimator outside ML.NET reaches the former by
    /// reflection; it exists, unchanged, in the Microsoft.ML 6.0.0 this project pins.
    /// </summary>
    public static SchemaShape ShapeOf(DataViewSchema schema)
    {
        var create = typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, [typeof(DataViewSchema)])
            ?? throw new MissingMethodException("SchemaShape.Create(DataViewSchema) is missing from this ML.NET; KanCompile.ML is built for Microsoft.ML 6.0.0.");
        return (SchemaShape)create.Invoke(null, [schema])!;
    }

    /// <summary>Key-value annotations naming keys 1..n by <paramref name="names"/>.</summary>
    public static DataViewSchema.Annotations TextKeyValues(string[] names)
    {
        ReadOnlyMemory<char>[] values = names.Select(n => n.AsMemory()).ToArray();
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(KeyValuesKind, new VectorDataViewType(TextDataViewType.Instance, values.Length), (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(values.Length, values));
        return annotations.ToAnnotations();
    }

    private static string Describe(SchemaShape.Column column) =>
        $"{column.Kind} of {column.ItemType}{(column.IsKey ? " keys" : string.Empty)}";

    /// <summary>Checks the feature column and returns its length.</summary>
    public static int CheckFeatures(DataViewSchema schema, string name)
    {
        DataViewSchema.Column column = Find(schema, name, "feature");
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || (vector.ItemType != NumberDataViewType.Single && vector.ItemType != NumberDataViewType.Double))
        {
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"The feature column '{name}' is {column.Type}; a KAN trainer needs a known-size vector of Single (float32) or Double. Concatenate the inputs into one vector, e.g. mlContext.Transforms.Concatenate(\"{name}\", ...).");
        }

        return vector.Size;
    }

    /// <summary>Checks the label column's type against the task.</summary>
    public static DataViewSchema.Column CheckLabel(DataViewSchema schema, string name, KanTask task)
    {
        DataViewSchema.Column column = Find(schema, name, "label");
        bool fits = task switch
        {
            KanTask.Regression => column.Type == NumberDataViewType.Single,
            KanTask.BinaryClassification => column.Type == BooleanDataViewType.Instance,
            _ => column.Type is KeyDataViewType { Count: > 0 } key && key.RawType == typeof(uint),
        };
        if (!fits)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"The label column '{name}' is {column.Type}; {Expected(task)}.");
        }

        return column;
    }

    /// <summary>The same checks on a <see cref="SchemaShape"/> (pipeline schema propagation).</summary>
    public static void CheckShape(SchemaShape shape, string features, string label, KanTask task)
    {
        if (shape.FirstOrDefault(c => c.Name == features) is not { Name: not null } feature)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"The feature column '{features}' is not in the schema; it has {string.Join(", ", shape.Select(c => c.Name))}.");
        }

        if (feature.Kind != SchemaShape.Column.VectorKind.Vector || (feature.ItemType != NumberDataViewType.Single && feature.ItemType != NumberDataViewType.Double))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"The feature column '{features}' is {Describe(feature)}; a KAN trainer needs a known-size vector of Single (float32) or Double.");
        }

        if (shape.FirstOrDefault(c => c.Name == label) is not { Name: not null } labelColumn)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"The label column '{label}' is not in the schema; it has {string.Join(", ", shape.Select(c => c.Name))}.");
        }

        bool fits = labelColumn.Kind == SchemaShape.Column.VectorKind.Scalar && task switch
        {
            KanTask.Regression => labelColumn.ItemType == NumberDataViewType.Single,
            KanTask.BinaryClassification => labelColumn.ItemType == BooleanDataViewType.Instance,
            _ => labelColumn.IsKey,
        };
        if (!fits)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"The label column '{label}' is {Describe(labelColumn)}; {Expected(task)}.");
        }
    }

    /// <summary>Every row's features, row-major, widened to float64; a non-finite value is an error naming its row and slot.</summary>
    public static (double[] Values, int Rows) ReadFeatures(IDataView input, string name, int count)
    {
        DataViewSchema.Column column = input.Schema[name];
        var values = new List<double>();
        using DataViewRowCursor cursor = input.GetRowCursor([column]);
        bool isFloat = ((VectorDataViewType)column.Type).ItemType == NumberDataViewType.Single;
        var reader = new FeatureReader(cursor, column, isFloat, count);
        var row = new double[count];
        int rows = 0;
        while (cursor.MoveNext())
        {
            reader.Read(row);
            for (int j = 0; j < count; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    throw new InvalidOperationException($"Row {rows}, slot {j} of the feature column '{name}' is {row[j]}; replace missing values first (e.g. mlContext.Transforms.ReplaceMissingValues).");
                }
            }

            values.AddRange(row);
            rows++;
        }

        return (values.ToArray(), rows);
    }

    /// <summary>Every row's label through <paramref name="convert"/>; null from it is an error naming the row.</summary>
    public static double[] ReadLabels<T>(IDataView input, string name, Func<T, double?> convert, string expected)
    {
        var labels = new List<double>();
        int row = 0;
        foreach (T value in input.GetColumn<T>(input.Schema[name]))
        {
            labels.Add(convert(value) ?? throw new InvalidOperationException($"Row {row} of the label column '{name}' is {value}; it must be {expected}."));
            row++;
        }

        return labels.ToArray();
    }

    /// <summary>A key label's class names: its text key values, or the key numbers when it has none.</summary>
    public static string[] ClassNames(DataViewSchema.Column label)
    {
        int count = (int)((KeyDataViewType)label.Type).Count;
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(label), $"The label column '{label.Name}' has {count} class; a classifier needs at least two.");
        }

        if (label.Annotations.Schema.GetColumnOrNull(KeyValuesKind) is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> keys = default;
            label.Annotations.GetValue(KeyValuesKind, ref keys);
            string[] names = keys.DenseValues().Select(k => k.ToString()).ToArray();
            if (names.Length == count && names.Distinct().Count() == count && names.All(n => n.Length > 0))
            {
                return names;
            }
        }

        return Enumerable.Range(1, count).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The label's annotations (its key values) for a multiclass PredictedLabel; null otherwise.</summary>
    public static DataViewSchema.Annotations? KeyValues(DataViewSchema.Column label, KanTask task) => task == KanTask.MulticlassClassification ? label.Annotations : null;

    /// <summary>The columns a transformer adds for <paramref name="task"/> (with <paramref name="classCount"/> classes when known).</summary>
    public static DataViewSchema OutputColumns(KanTask task, int? classCount, DataViewSchema.Annotations? keyValues)
    {
        var builder = new DataViewSchema.Builder();
        switch (task)
        {
            case KanTask.Regression:
                builder.AddColumn(Score, NumberDataViewType.Single);
                break;
            case KanTask.BinaryClassification:
                builder.AddColumn(Score, NumberDataViewType.Single);
                builder.AddColumn(Probability, NumberDataViewType.Single);
                builder.AddColumn(PredictedLabel, BooleanDataViewType.Instance);
                break;
            default:
                builder.AddColumn(Score, new VectorDataViewType(NumberDataViewType.Single, classCount ?? 0));
                builder.AddColumn(PredictedLabel, new KeyDataViewType(typeof(uint), classCount ?? 2), keyValues);
                break;
        }

        return builder.ToSchema();
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role) =>
        schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(schema),
            $"The {role} column '{name}' is not in the data; it has {string.Join(", ", schema.Select(c => c.Name))}.");

    private static string Expected(KanTask task) => task switch
    {
        KanTask.Regression => "a regression label must be Single (float32)",
        KanTask.BinaryClassification => "a binary label must be Boolean",
        _ => "a multiclass label must be a key (map it with mlContext.Transforms.Conversion.MapValueToKey)",
    };
}

/// <summary>Reads one row's feature vector (float32 or float64, dense or sparse) into float64s, reusing its buffers.</summary>
internal sealed class FeatureReader
{
    private readonly ValueGetter<VBuffer<float>>? _floats;
    private readonly ValueGetter<VBuffer<double>>? _doubles;
    private readonly float[] _floatRow;
    private VBuffer<float> _floatBuffer;
    private VBuffer<double> _doubleBuffer;

    public FeatureReader(DataViewRow row, DataViewSchema.Column column, bool isFloat, int count)
    {
        if (isFloat)
        {
            _floats = row.GetGetter<VBuffer<float>>(column);
        }
        else
        {
            _doubles = row.GetGetter<VBuffer<double>>(column);
        }

        _floatRow = new float[isFloat ? count : 0];
    }

    public void Read(Span<double> destination)
    {
        if (_floats is not null)
        {
            _floats(ref _floatBuffer);
            _floatBuffer.CopyTo(_floatRow);
            for (int j = 0; j < _floatRow.Length; j++)
            {
                destination[j] = _floatRow[j];
            }

            return;
        }

        _doubles!(ref _doubleBuffer);
        _doubleBuffer.CopyTo(destination);
    }
}
