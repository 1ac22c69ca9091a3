// The sources the generator shares with the runtime (src/KanCompile.Shared, imported by the project file) are
// written against .NET 10. This file gives netstandard2.0 the few members they use,
// as C# 14 extension members, so the shared files need no conditional code. Generator only: the runtime has the
// real members.
global using System;
global using System.Collections.Generic;
global using System.Linq;
global using KanCompile.Generators.Helpers;
using System.Globalization;
using System.Reflection;

namespace KanCompile.Generators.Helpers
{
    /// <summary>netstandard2.0 stand-ins for .NET Core members used by the shared symbolic sources.</summary>
    internal static class Polyfills
    {
        // The compiler host runs on .NET (Core), whose Math has these: bind to them so constant folding in the
        // generator computes exactly the bits the runtime computes. The fallbacks only serve exotic hosts.
        private static readonly Func<double, double> s_atanh = Bind("Atanh") ?? (x => 0.5 * Math.Log((1.0 + x) / (1.0 - x)));
        private static readonly Func<double, double> s_cbrt = Bind("Cbrt") ?? (x => x < 0 ? -Math.Pow(-x, 1.0 / 3.0) : Math.Pow(x, 1.0 / 3.0));

        extension(ArgumentNullException)
        {
            public static void ThrowIfNull(object? argument, string? paramName = null)
            {
                if (argument is null)
                {
                    throw new ArgumentNullException(paramName);
                }
            }
        }

        extension(double)
        {
            public static bool IsInteger(double value) => !double.IsNaN(value) && !double.IsInfinity(value) && value == Math.Floor(value);

            public static bool IsNegative(double value) => BitConverter.DoubleToInt64Bits(value) < 0;

            public static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);
        }

        extension(char)
        {
            public static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';
        }

        extension(int)
        {
            public static int Parse(ReadOnlySpan<char> text, NumberStyles style, IFormatProvider provider) => int.Parse(text.ToString(), style, provider);
        }

        extension(string text)
        {
            public string Replace(string oldValue, string newValue, StringComparison comparison) =>
                comparison == StringComparison.Ordinal ? text.Replace(oldValue, newValue) : throw new ArgumentException("Only ordinal replacement is supported.", nameof(comparison));

            public bool Contains(string value, StringComparison comparison) => text.IndexOf(value, comparison) >= 0;

            public bool StartsWith(char value) => text.Length > 0 && text[0] == value;

            public bool EndsWith(char value) => text.Length > 0 && text[text.Length - 1] == value;

            public int IndexOf(char value, StringComparison comparison) => text.IndexOf(value.ToString(), comparison);
        }

        extension<TKey, TValue>(Dictionary<TKey, TValue> dictionary)
            where TKey : notnull
        {
            public bool TryAdd(TKey key, TValue value)
            {
                if (dictionary.ContainsKey(key))
                {
                    return false;
                }

                dictionary.Add(key, value);
                return true;
            }
        }

        extension(Math)
        {
            public static double Atanh(double x) => s_atanh(x);

            public static double Cbrt(double x) => s_cbrt(x);
        }

        private static Func<double, double>? Bind(string name)
        {
            MethodInfo? method = typeof(Math).GetMethod(name, new[] { typeof(double) });
            return method is null ? null : (Func<double, double>)method.CreateDelegate(typeof(Func<double, double>));
        }
    }
}

namespace System
{
    /// <summary>An index from the start or the end (<c>^1</c>), so shared sources can write <c>list[^1]</c>.</summary>
    internal readonly struct Index
    {
        private readonly int _value;

        public Index(int value, bool fromEnd = false)
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "An index must be non-negative.");
            }

            _value = fromEnd ? ~value : value;
        }

        public bool IsFromEnd => _value < 0;

        public int Value => _value < 0 ? ~_value : _value;

        public static Index Start => new Index(0);

        public static Index End => new Index(0, fromEnd: true);

        public static implicit operator Index(int value) => new Index(value);

        public int GetOffset(int length) => IsFromEnd ? length - Value : Value;
    }

    /// <summary>A range of indices (<c>a..b</c>), so shared sources can write <c>text[..e]</c>.</summary>
    internal readonly struct Range
    {
        public Range(Index start, Index end)
        {
            Start = start;
            End = end;
        }

        public Index Start { get; }

        public Index End { get; }

        public static Range All => new Range(Index.Start, Index.End);

        public static Range StartAt(Index start) => new Range(start, Index.End);

        public static Range EndAt(Index end) => new Range(Index.Start, end);
    }
}

namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>Nullable analysis attribute missing from netstandard2.0.</summary>
    [AttributeUsage(AttributeTargets.Parameter)]
    internal sealed class NotNullWhenAttribute : Attribute
    {
        public NotNullWhenAttribute(bool returnValue) => ReturnValue = returnValue;

        public bool ReturnValue { get; }
    }
}
