using KanCompile.Tests.Models;

namespace KanCompile.Tests.Support;

/// <summary>A generated model paired with a reference <see cref="KanNetwork"/> of the same architecture.</summary>
public sealed record ModelCase(string Name, Func<int, KanModel> CreateGenerated)
{
    public override string ToString() => Name;

    public static IEnumerable<object[]> All() => Cases.Select(c => new object[] { c });

    public static readonly ModelCase[] Cases =
    {
        new("Toy251", seed => new Toy251(seed)),
        new("Line11K1", seed => new Line11K1(seed)),
        new("Step231K0", seed => new Step231K0(seed)),
        new("Quad342K2", seed => new Quad342K2(seed)),
        new("Deep2321K4", seed => new Deep2321K4(seed)),
        new("Quintic231K5", seed => new Quintic231K5(seed)),
        new("Wide4x16x16x1", seed => new Wide4x16x16x1(seed)),
        new("Large10x32x32x1", seed => new Large10x32x32x1(seed)),
        new("TinyGrid31K2", seed => new TinyGrid31K2(seed)),
        new("Broad100x10x1", seed => new Broad100x10x1(seed)),
    };

    /// <summary>The reference engine for the same architecture and seed.</summary>
    public static KanNetwork Reference(KanModel model) => new KanNetwork(model.Architecture, model.Seed, KanEngine.Reference);

    /// <summary>
    /// <paramref name="generated"/> with parameters drawn uniformly in [-1, 1] from <paramref name="parameterSeed"/>
    /// (<see cref="Sampling.Randomize"/>), and the reference engine of the same architecture holding the same
    /// parameters; <paramref name="maskedEdge"/> (layer, input, output), when given, is masked off in both.
    /// </summary>
    public static (KanModel Generated, KanNetwork Reference) Pair(KanModel generated, int parameterSeed, (int Layer, int Input, int Output)? maskedEdge = null)
    {
        KanNetwork reference = Reference(generated);
        Sampling.Randomize(generated.Parameters, parameterSeed);
        generated.Parameters.CopyTo(reference.Parameters);
        if (maskedEdge is var (layer, input, output))
        {
            generated.SetMask(new KanEdge(layer, input, output), 0.0);
            reference.SetMask(new KanEdge(layer, input, output), 0.0);
        }

        return (generated, reference);
    }
}
