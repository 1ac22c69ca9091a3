namespace KanCompile.Training.Optimizers;

/// <summary>A differentiable objective of the parameters an optimiser moves in place.</summary>
internal interface IOptimizerObjective
{
    /// <summary>
    /// Evaluates the objective at the current parameters and writes its gradient into <paramref name="gradient"/>.
    /// Returns false when the optimiser must stop at once (non-finite value or gradient, or cancellation).
    /// </summary>
    bool TryEvaluate(Span<double> gradient, out double value);
}

/// <summary>An optimiser whose <see cref="Step"/> is one pykan step.</summary>
internal interface IFitOptimizer
{
    /// <summary>One optimiser step on <paramref name="parameters"/>; false when the objective asked to stop.</summary>
    bool Step(Span<double> parameters, IOptimizerObjective objective);

    /// <summary>
    /// The last step left the parameters exactly as they were: no step it can take lowers the loss on this batch, so
    /// every further step on the same batch would leave them unchanged too (only a deterministic solver can say so).
    /// </summary>
    bool Converged => false;
}
