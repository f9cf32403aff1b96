namespace CoverageCheck.Clients.X12;

/// <summary>
/// The four delimiters of an X12 interchange, all taken from its ISA segment: the element separator is the character
/// right after "ISA", the repetition separator is ISA11, the component separator is ISA16 and the segment terminator
/// is the character right after ISA16.
/// </summary>
/// <param name="Element">Separates elements (usually <c>*</c>).</param>
/// <param name="Repetition">Separates repeats of one element (usually <c>^</c>); <c>'\0'</c> when ISA11 is the 4010 standards identifier <c>U</c>.</param>
/// <param name="Component">Separates components of a composite element (usually <c>:</c> or <c>&gt;</c>).</param>
/// <param name="Segment">Ends a segment (usually <c>~</c>).</param>
public readonly record struct X12Delimiters(char Element, char Repetition, char Component, char Segment)
{
    /// <summary>The delimiters most trading partners use: <c>* ^ : ~</c>.</summary>
    public static X12Delimiters Default { get; } = new('*', '^', ':', '~');

    /// <summary>
    /// True when the delimiters can be read: no two of element, component and segment terminator coincide and none
    /// is a letter or digit. A repetition separator equal to the component separator is tolerated (real TR3-derived
    /// files send <c>^</c> as both): the 271 reader knows which elements repeat and which are composites, and warns
    /// (see <see cref="RepetitionIsComponent"/>).
    /// </summary>
    public bool AreValid
    {
        get
        {
            ReadOnlySpan<char> all = [Element, Component, Segment];
            foreach (var c in all)
            {
                if (char.IsLetterOrDigit(c) || c == '\0')
                {
                    return false;
                }
            }

            if (Element == Component || Element == Segment || Component == Segment)
            {
                return false;
            }

            return Repetition == '\0' || (Repetition != Element && Repetition != Segment && !char.IsLetterOrDigit(Repetition));
        }
    }

    /// <summary>True when ISA11 and ISA16 are the same character: not standard, readable only because no 271 element is both repeated and composite.</summary>
    public bool RepetitionIsComponent => Repetition != '\0' && Repetition == Component;
}
