using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace KanCompile.Generators.Tests.Support;

/// <summary>
/// Walks the object graph of incremental pipeline outputs and reports any Roslyn object that would defeat
/// caching (a symbol, syntax node or tree, semantic model, compilation or location keeps the whole
/// compilation alive and never compares equal across runs).
/// </summary>
internal static class PipelineValueInspector
{
    private static readonly Type[] s_forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SemanticModel), typeof(Microsoft.CodeAnalysis.Compilation),
        typeof(Location), typeof(AttributeData), typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(TypedConstant),
    };

    /// <summary>Paths (from <paramref name="rootName"/>) to every forbidden object reachable from <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> FindForbidden(object? root, string rootName)
    {
        var found = new List<string>();
        Visit(root, rootName, new HashSet<object>(ReferenceEqualityComparer.Instance), found);
        return found;
    }

    private static void Visit(object? value, string path, HashSet<object> visited, List<string> found)
    {
        if (value is null)
        {
            return;
        }

        Type type = value.GetType();
        if (s_forbidden.Any(f => f.IsAssignableFrom(type)))
        {
            found.Add(path + " is " + type.FullName);
            return;
        }

        if (type.IsPrimitive || type.IsEnum || value is string || value is decimal || (!type.IsValueType && !visited.Add(value)))
        {
            return;
        }

        if (value is IEnumerable sequence && type.IsArray)
        {
            int index = 0;
            foreach (object? item in sequence)
            {
                Visit(item, path + "[" + index++ + "]", visited, found);
            }

            return;
        }

        for (Type? current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (FieldInfo field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                {
                    continue;
                }

                Visit(field.GetValue(value), path + "." + field.Name, visited, found);
            }
        }
    }
}
