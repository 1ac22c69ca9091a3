using KanCompile.Engine;

namespace KanCompile.Symbolic.Discovery;

/// <summary>Per row: where the non-zero basis window starts, its order + 1 values, and the base function b(x).</summary>
internal sealed class InputSplineTerms
{
    public InputSplineTerms(SearchRows rows, int column, double[] knots, int order, KanBaseFunction baseFunction, KanBeyondGrid beyondGrid)
    {
        Order = order;
        First = new int[rows.Count];
        Values = new double[rows.Count * (order + 1)];
        Residual = new double[rows.Count];
        for (int s = 0; s < rows.Count; s++)
        {
            double x = rows.Inputs[s * rows.InputCount + column];
            First[s] = SearchNetwork.WindowStart(x, knots, order, Values.AsSpan(s * (order + 1), order + 1), default, beyondGrid);
            Residual[s] = BaseFunctions.Value(baseFunction, x);
        }
    }

    public int Order { get; }

    /// <summary>Index of the first basis function of each row's window (<see cref="SearchNetwork.OutsideKnots"/>: all zero).</summary>
    public int[] First { get; }

    /// <summary>[row][order + 1] window values.</summary>
    public double[] Values { get; }

    /// <summary>b(x) per row (the residual branch's base function).</summary>
    public double[] Residual { get; }
}
