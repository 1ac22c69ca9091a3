using KanCompile.Generators.Helpers;

namespace KanCompile.Generators.Tests;

/// <summary>
/// <see cref="EquatableArray{T}"/> carries sequences through the incremental pipeline, so its equality and
/// hash must be by value, and an uninitialised (default) array must behave like an empty one.
/// </summary>
public sealed class EquatableArrayTests
{
    [Fact]
    public void EqualContentsAreEqualWithEqualHashes()
    {
        var left = new EquatableArray<int>(new[] { 2, 5, 1 });
        var right = new[] { 2, 5, 1 }.ToEquatableArray();

        Assert.True(left.Equals(right));
        Assert.True(left == right);
        Assert.False(left != right);
        Assert.True(left.Equals((object)right));
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
    }

    [Theory]
    [InlineData(new[] { 2, 5, 1 }, new[] { 2, 5, 2 })]
    [InlineData(new[] { 2, 5, 1 }, new[] { 1, 5, 2 })]
    [InlineData(new[] { 2, 5, 1 }, new[] { 2, 5 })]
    [InlineData(new[] { 2, 5 }, new[] { 2, 5, 0 })]
    [InlineData(new int[0], new[] { 0 })]
    public void DifferentContentsOrLengthsAreNotEqual(int[] a, int[] b)
    {
        var left = a.ToEquatableArray();
        var right = b.ToEquatableArray();

        Assert.False(left.Equals(right));
        Assert.False(right.Equals(left));
        Assert.True(left != right);
    }

    [Fact]
    public void HashDependsOnOrder()
    {
        Assert.NotEqual(new[] { 1, 2, 3 }.ToEquatableArray().GetHashCode(), new[] { 3, 2, 1 }.ToEquatableArray().GetHashCode());
    }

    [Fact]
    public void DefaultEqualsEmpty()
    {
        EquatableArray<int> uninitialised = default;
        EquatableArray<int> empty = EquatableArray<int>.Empty;

        Assert.True(uninitialised == empty);
        Assert.True(uninitialised.Equals(new EquatableArray<int>(Array.Empty<int>())));
        Assert.Equal(empty.GetHashCode(), uninitialised.GetHashCode());
        Assert.Equal(0, uninitialised.Count);
        Assert.True(uninitialised.IsEmpty);
        Assert.Empty(uninitialised);
        Assert.Empty(uninitialised.ToArray());
    }

    [Fact]
    public void CopiesItsInputAndHandsOutCopies()
    {
        int[] source = { 4, 8 };
        var array = source.ToEquatableArray();
        source[0] = 99;
        int[] copy = array.ToArray();
        copy[1] = 99;

        Assert.Equal(new[] { 4, 8 }, array);
        Assert.Equal(4, array[0]);
        Assert.Equal(2, array.Count);
    }

    [Fact]
    public void ComparesElementsByValue()
    {
        var left = new[] { "a", "bc" }.ToEquatableArray();
        var right = new[] { "a", new string(new[] { 'b', 'c' }) }.ToEquatableArray();

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.False(left.Equals("a"));
    }
}
