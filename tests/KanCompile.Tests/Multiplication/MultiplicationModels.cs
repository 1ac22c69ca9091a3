using KanCompile;

namespace KanCompile.Tests.Multiplication;

/// <summary>pykan's MultKAN hello shape, <c>width=[2,[5,2],1]</c>.</summary>
[KanModel(2, 5, 1, GridSize = 5, MultiplicationNodes = new[] { 0, 2, 0 }, MultiplicationArity = 2)]
public partial class MultKan2x5m2x1 { }

/// <summary>Arity 3, two multiplying layers, identity base, quadratic splines: pykan <c>width=[3,[2,2],[1,1],1]</c>, <c>mult_arity=3</c>.</summary>
[KanModel(3, 2, 1, 1, GridSize = 4, SplineOrder = 2, BaseFunction = KanBaseFunction.Identity, MultiplicationNodes = new[] { 0, 2, 1, 0 }, MultiplicationArity = 3, BeyondGrid = KanBeyondGrid.Smooth)]
public partial class MultKanArity3 { }

/// <summary>A hidden layer of multiplication nodes only: pykan <c>width=[2,[0,1],1]</c>.</summary>
[KanModel(2, 0, 1, GridSize = 3, MultiplicationNodes = new[] { 0, 1, 0 })]
public partial class MultOnly2x0m1x1 { }

/// <summary>pykan's MultKAN hello model: <c>KAN(width=[2,[5,2],1], base_fun='identity')</c> (grid 3, k 3).</summary>
[KanModel(2, 5, 1, GridSize = 3, BaseFunction = KanBaseFunction.Identity, MultiplicationNodes = new[] { 0, 2, 0 })]
public partial class HelloMultKan { }

/// <summary>The multiplication shapes the kernel tests cover, each with a reference engine of the same architecture.</summary>
public sealed record MultiplicationCase(string Name, Func<int, KanModel> CreateGenerated)
{
    public static readonly MultiplicationCase[] Cases =
    {
        new("[2,[5,2],1]", seed => new MultKan2x5m2x1(seed)),
        new("[3,[2,2],[1,1],1] arity 3", seed => new MultKanArity3(seed)),
        new("[2,[0,1],1]", seed => new MultOnly2x0m1x1(seed)),
    };

    public static IEnumerable<object[]> All() => Cases.Select(c => new object[] { c });

    public override string ToString() => Name;
}
