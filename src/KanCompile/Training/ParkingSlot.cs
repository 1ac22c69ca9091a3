namespace KanCompile.Training;

/// <summary>
/// One object kept between uses (the last fit's objective, for the next fit to take), dropped once two full (gen 2)
/// garbage collections have found it still parked, so a process that stops fitting does not hold its buffers for good.
/// Held strongly until then, not weakly: a fit of a large model triggers gen 2 collections itself, and a weak reference
/// lost the buffers on nearly every fit of [10,32,32,1] (about 7 MB allocated again per fit).
/// </summary>
internal sealed class ParkingSlot<T>
    where T : class
{
    /// <summary>Full collections a parked object survives unused before it is dropped.</summary>
    private const int IdleCollections = 2;

    private readonly object _lock = new();
    private T? _parked;
    private int _idle;

    public ParkingSlot() => _ = new CollectionWatch(this);

    /// <summary>Takes the parked object (null when there is none); the slot is then empty.</summary>
    public T? Take()
    {
        lock (_lock)
        {
            T? parked = _parked;
            _parked = null;
            return parked;
        }
    }

    /// <summary>Parks <paramref name="value"/> in place of whatever was parked.</summary>
    public void Park(T value)
    {
        lock (_lock)
        {
            _parked = value;
            _idle = 0;
        }
    }

    private void OnCollection()
    {
        lock (_lock)
        {
            if (_parked is not null && ++_idle >= IdleCollections)
            {
                _parked = null;
            }
        }
    }

    /// <summary>
    /// Unreachable from birth, so its finalizer runs after a collection of its generation; re-registered each time, it
    /// ends up in gen 2 and reports every full collection (the runtime's own pools trim the same way).
    /// </summary>
    private sealed class CollectionWatch(ParkingSlot<T> slot)
    {
        ~CollectionWatch()
        {
            slot.OnCollection();
            GC.ReRegisterForFinalize(this);
        }
    }
}
