using Microsoft.ML;
using Microsoft.ML.Data;

namespace KanCompile.ML;

/// <summary>The transformer's output schema: every input column at its own index, then the added columns.</summary>
internal static class ScoredSchema
{
    public static (DataViewSchema Schema, int InputCount) Build(DataViewSchema input, DataViewSchema outputs)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumns(outputs);
        return (builder.ToSchema(), input.Count);
    }
}

/// <summary>The lazily scored data of <see cref="KanPredictionTransformer.Transform"/>: each cursor wraps one of the input's.</summary>
internal sealed class KanScoredDataView(IDataView input, KanPredictionTransformer transformer) : IDataView
{
    private readonly DataViewSchema _schema = ScoredSchema.Build(input.Schema, transformer.OutputColumns).Schema;

    public bool CanShuffle => input.CanShuffle;

    public DataViewSchema Schema => _schema;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        return new KanScoredCursor(input.GetRowCursor(ScoredRow.InputColumns(input.Schema, transformer, needed), rand), _schema, transformer, needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        return input.GetRowCursorSet(ScoredRow.InputColumns(input.Schema, transformer, needed), n, rand)
            .Select(cursor => (DataViewRowCursor)new KanScoredCursor(cursor, _schema, transformer, needed))
            .ToArray();
    }
}

/// <summary>The row-to-row mapper prediction engines use: the same scoring over a single input row.</summary>
internal sealed class KanRowMapper(DataViewSchema inputSchema, KanPredictionTransformer transformer) : IRowToRowMapper
{
    public DataViewSchema InputSchema => inputSchema;

    public DataViewSchema OutputSchema { get; } = ScoredSchema.Build(inputSchema, transformer.OutputColumns).Schema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        ScoredRow.InputColumns(inputSchema, transformer, dependingColumns.ToArray());

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new KanScoredRow(input, OutputSchema, transformer, activeColumns.ToArray());
}

/// <summary>
/// One input row seen through the transformer: input columns pass through; the added ones are computed once per row
/// position (features widened to float64, one forward pass), with buffers reused from row to row.
/// </summary>
internal sealed class ScoredRow
{
    private readonly DataViewRow _input;
    private readonly KanPredictionTransformer _transformer;
    private readonly int _inputCount;
    private readonly bool[] _active;
    private readonly FeatureReader? _reader;
    private readonly double[] _features;
    private readonly double[] _outputs;
    private readonly ScoredValues _values;
    private long _scoredPosition = -1;

    public ScoredRow(DataViewRow input, DataViewSchema schema, KanPredictionTransformer transformer, DataViewSchema.Column[] active)
    {
        _input = input;
        _transformer = transformer;
        _inputCount = input.Schema.Count;
        _active = new bool[schema.Count - _inputCount];
        foreach (DataViewSchema.Column column in active)
        {
            if (column.Index >= _inputCount)
            {
                _active[column.Index - _inputCount] = true;
            }
        }

        if (_active.Any(a => a))
        {
            DataViewSchema.Column features = input.Schema[transformer.FeatureColumnName];
            _reader = new FeatureReader(input, features, ((VectorDataViewType)features.Type).ItemType == NumberDataViewType.Single, transformer.FeatureCount);
        }

        _features = new double[transformer.FeatureCount];
        _outputs = new double[transformer.Model.OutputCount];
        _values = new ScoredValues(transformer.Task == KanTask.MulticlassClassification ? transformer.Model.OutputCount : 0);
    }

    /// <summary>The input columns a set of output columns needs: the passed-through ones, and the features for any added one.</summary>
    public static IEnumerable<DataViewSchema.Column> InputColumns(DataViewSchema input, KanPredictionTransformer transformer, DataViewSchema.Column[] needed)
    {
        var columns = needed.Where(c => c.Index < input.Count).Select(c => input[c.Index]).ToList();
        if (needed.Any(c => c.Index >= input.Count))
        {
            columns.Add(input[transformer.FeatureColumnName]);
        }

        return columns.Distinct();
    }

    public bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index < _inputCount ? _input.IsColumnActive(_input.Schema[column.Index]) : _active[column.Index - _inputCount];

    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < _inputCount)
        {
            return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        }

        if (!_active[column.Index - _inputCount])
        {
            throw new InvalidOperationException($"The column '{column.Name}' was not requested from the cursor.");
        }

        Delegate getter = (column.Name, _transformer.Task) switch
        {
            (KanSchema.Score, KanTask.MulticlassClassification) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                Refresh();
                var editor = VBufferEditor.Create(ref value, _values.Scores.Length);
                _values.Scores.CopyTo(editor.Values);
                value = editor.Commit();
            }),
            (KanSchema.Score, _) => (ValueGetter<float>)((ref float value) => { Refresh(); value = _values.Score; }),
            (KanSchema.Probability, _) => (ValueGetter<float>)((ref float value) => { Refresh(); value = _values.Probability; }),
            (KanSchema.PredictedLabel, KanTask.BinaryClassification) => (ValueGetter<bool>)((ref bool value) => { Refresh(); value = _values.PredictedBoolean; }),
            _ => (ValueGetter<uint>)((ref uint value) => { Refresh(); value = _values.PredictedKey; }),
        };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"The column '{column.Name}' is {column.Type}; it has no getter of {typeof(TValue).Name}.");
    }

    private void Refresh()
    {
        if (_scoredPosition == _input.Position)
        {
            return;
        }

        _reader!.Read(_features);
        _transformer.Score(_features, _outputs, _values);
        _scoredPosition = _input.Position;
    }
}

/// <summary>A cursor over the scored data, wrapping one input cursor.</summary>
internal sealed class KanScoredCursor(DataViewRowCursor input, DataViewSchema schema, KanPredictionTransformer transformer, DataViewSchema.Column[] active) : DataViewRowCursor
{
    private readonly ScoredRow _row = new(input, schema, transformer, active);

    public override DataViewSchema Schema => schema;

    public override long Position => input.Position;

    public override long Batch => input.Batch;

    public override bool MoveNext() => input.MoveNext();

    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _row.GetGetter<TValue>(column);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A single scored row, for <see cref="KanRowMapper"/>.</summary>
internal sealed class KanScoredRow(DataViewRow input, DataViewSchema schema, KanPredictionTransformer transformer, DataViewSchema.Column[] active) : DataViewRow
{
    private readonly ScoredRow _row = new(input, schema, transformer, active);

    public override DataViewSchema Schema => schema;

    public override long Position => input.Position;

    public override long Batch => input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _row.GetGetter<TValue>(column);
}
