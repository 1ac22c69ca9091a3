namespace KanCompile;

/// <summary>A function of several variables with several outputs: writes f(<paramref name="input"/>) into <paramref name="output"/>.</summary>
public delegate void KanVectorFunction(ReadOnlySpan<double> input, Span<double> output);
