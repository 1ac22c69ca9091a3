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
}
