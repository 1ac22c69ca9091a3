using System.Runtime.CompilerServices;
using KanCompile.Compilation;

namespace KanCompile.Tests.Compilation;

/// <summary>The batch kernels' tables start on a cache line whatever the GC does, and hold exactly what was asked.</summary>
public class AlignedBufferTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4704)]
    [InlineData(100_003)]
    public void The_first_element_is_on_a_64_byte_boundary_and_every_element_starts_zeroed(int length)
    {
        // Several in a row, so they land at different offsets from the heap's own alignment.
        for (int i = 0; i < 8; i++)
        {
            var buffer = new AlignedBuffer(length);
            Span<double> span = buffer.Span;

            Assert.Equal(length, buffer.Length);
            Assert.Equal(length, span.Length);
            Assert.Equal(0, AddressOf(ref span[0]) % AlignedBuffer.Alignment);
            Assert.True(span.IndexOfAnyExcept(0.0) < 0);
        }
    }

    [Fact]
    public void Slices_stay_inside_the_buffer_and_see_the_same_memory()
    {
        var buffer = new AlignedBuffer(16);
        buffer.Span[5] = 3.5;

        Assert.Equal(3.5, buffer.Slice(4, 4)[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Slice(12, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlignedBuffer(-1));
    }

    [Fact]
    public void The_address_does_not_move_when_the_heap_is_compacted()
    {
        var buffer = new AlignedBuffer(1000);
        long before = AddressOf(ref buffer.Span[0]);
        for (int i = 0; i < 1000; i++)
        {
            _ = new byte[1024];
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        Assert.Equal(before, AddressOf(ref buffer.Span[0]));
    }

    private static long AddressOf(ref double value) => (long)Unsafe.ByteOffset(ref Unsafe.NullRef<double>(), ref value);
}
