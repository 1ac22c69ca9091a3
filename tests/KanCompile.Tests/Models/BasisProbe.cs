namespace KanCompile.Tests.Models;

// [1,1] models for each (G, k) of golden/basis.json, so the compiled basis can be probed directly.
[KanModel(1, 1, GridSize = 5, SplineOrder = 3)] public partial class Probe5K3 { }
[KanModel(1, 1, GridSize = 3, SplineOrder = 3)] public partial class Probe3K3 { }
[KanModel(1, 1, GridSize = 10, SplineOrder = 2)] public partial class Probe10K2 { }
[KanModel(1, 1, GridSize = 7, SplineOrder = 1)] public partial class Probe7K1 { }
[KanModel(1, 1, GridSize = 4, SplineOrder = 0)] public partial class Probe4K0 { }
[KanModel(1, 1, GridSize = 6, SplineOrder = 5)] public partial class Probe6K5 { }

public static class BasisProbe
{
    public static IKanModel Create(int g, int k) => (g, k) switch
    {
        (5, 3) => new Probe5K3(),
        (3, 3) => new Probe3K3(),
        (10, 2) => new Probe10K2(),
        (7, 1) => new Probe7K1(),
        (4, 0) => new Probe4K0(),
        (6, 5) => new Probe6K5(),
        _ => throw new ArgumentOutOfRangeException(nameof(g), $"No probe model for G={g}, k={k}."),
    };
}
