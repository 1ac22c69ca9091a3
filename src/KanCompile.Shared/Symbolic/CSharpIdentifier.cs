using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace KanCompile.Symbolic;

/// <summary>
/// The one rule for names KanCompile writes into C# (exported classes, namespaces, formula variables): a valid
/// identifier that is not a keyword. Linked into the generator and the CLI so every writer agrees.
/// </summary>
internal static class CSharpIdentifier
{
    /// <summary>
    /// True when <paramref name="name"/> can be written as is: a valid identifier, no reserved keyword, and — unless
    /// <paramref name="allowContextualKeywords"/> — no contextual keyword either (var, value, nameof, ...), which are
    /// legal but read badly and break in some positions.
    /// </summary>
    public static bool IsValid(string? name, bool allowContextualKeywords = true) =>
        !string.IsNullOrEmpty(name)
        && SyntaxFacts.IsValidIdentifier(name)
        && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None
        && (allowContextualKeywords || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.None);

    /// <summary>True when every dotted part of <paramref name="name"/> is <see cref="IsValid"/>.</summary>
    public static bool IsValidNamespace(string? name) =>
        !string.IsNullOrEmpty(name) && name!.Split('.').All(part => IsValid(part));
}
