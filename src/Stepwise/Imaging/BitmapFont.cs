namespace Stepwise.Imaging;

/// <summary>
/// A built-in 5x7 bitmap font for printable ASCII (32..126). Each glyph is seven rows of five bits,
/// the most significant of the five bits being the leftmost column; other characters draw as '?'.
/// </summary>
internal static class BitmapFont
{
    /// <summary>Glyph cell width in font pixels.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Glyph height in font pixels.</summary>
    public const int GlyphHeight = 7;

    /// <summary>Horizontal distance from one character to the next (glyph plus one column of space).</summary>
    public const int Advance = 6;

    /// <summary>Rows a descending letter (g, p, q, y) is drawn lower; its seven rows then end below the baseline.</summary>
    public const int Descent = 2;

    /// <summary>Height of a line including descenders.</summary>
    public const int FullHeight = GlyphHeight + Descent;

    /// <summary>Vertical distance between text lines.</summary>
    public const int LineHeight = 9;

    // One entry per character from ' ' (32) to '~' (126): seven rows as two hex digits each.
    private static readonly string[] Rows =
    [
        "00000000000000", // 32  
        "04040404040004", // 33 !
        "0A0A0000000000", // 34 quote
        "0A0A1F0A1F0A0A", // 35 #
        "040F140E051E04", // 36 $
        "18190204081303", // 37 %
        "0C12140815120D", // 38 &
        "04040000000000", // 39 '
        "02040808080402", // 40 (
        "08040202020408", // 41 )
        "0004150E150400", // 42 *
        "0004041F040400", // 43 +
        "000000000C0408", // 44 ,
        "0000001F000000", // 45 -
        "00000000000C0C", // 46 .
        "00010204081000", // 47 /
        "0E11131519110E", // 48 0
        "040C040404040E", // 49 1
        "0E11010204081F", // 50 2
        "1F02040201110E", // 51 3
        "02060A121F0202", // 52 4
        "1F101E0101110E", // 53 5
        "0608101E11110E", // 54 6
        "1F010204080808", // 55 7
        "0E11110E11110E", // 56 8
        "0E11110F01020C", // 57 9
        "000C0C000C0C00", // 58 :
        "000C0C000C0408", // 59 ;
        "02040810080402", // 60 <
        "00001F001F0000", // 61 =
        "08040201020408", // 62 >
        "0E110102040004", // 63 ?
        "0E11010D15150E", // 64 @
        "0E1111111F1111", // 65 A
        "1E11111E11111E", // 66 B
        "0E11101010110E", // 67 C
        "1C12111111121C", // 68 D
        "1F10101E10101F", // 69 E
        "1F10101E101010", // 70 F
        "0E11101711110F", // 71 G
        "1111111F111111", // 72 H
        "0E04040404040E", // 73 I
        "0702020202120C", // 74 J
        "11121418141211", // 75 K
        "1010101010101F", // 76 L
        "111B1515111111", // 77 M
        "11111915131111", // 78 N
        "0E11111111110E", // 79 O
        "1E11111E101010", // 80 P
        "0E11111115120D", // 81 Q
        "1E11111E141211", // 82 R
        "0F10100E01011E", // 83 S
        "1F040404040404", // 84 T
        "1111111111110E", // 85 U
        "11111111110A04", // 86 V
        "1111111515150A", // 87 W
        "11110A040A1111", // 88 X
        "1111110A040404", // 89 Y
        "1F01020408101F", // 90 Z
        "0E08080808080E", // 91 [
        "00100804020100", // 92 backslash
        "0E02020202020E", // 93 ]
        "040A1100000000", // 94 ^
        "0000000000001F", // 95 _
        "08040200000000", // 96 `
        "00000E010F110F", // 97 a
        "1010161911111E", // 98 b
        "00000E1010110E", // 99 c
        "01010D1311110F", // 100 d
        "00000E111F100E", // 101 e
        "0609081C080808", // 102 f
        "0F1111110F010E", // 103 g (descender)
        "10101619111111", // 104 h
        "04000C0404040E", // 105 i
        "0200060202120C", // 106 j
        "10101214181412", // 107 k
        "0C04040404040E", // 108 l
        "00001A15151111", // 109 m
        "00001619111111", // 110 n
        "00000E1111110E", // 111 o
        "1E1111111E1010", // 112 p (descender)
        "0F1111110F0101", // 113 q (descender)
        "00001619101010", // 114 r
        "00000E100E011E", // 115 s
        "08081C08080906", // 116 t
        "0000111111130D", // 117 u
        "00001111110A04", // 118 v
        "0000111115150A", // 119 w
        "0000110A040A11", // 120 x
        "111111110F010E", // 121 y (descender)
        "00001F0204081F", // 122 z
        "02040408040402", // 123 {
        "04040404040404", // 124 |
        "08040402040408", // 125 }
        "00000815020000", // 126 ~
    ];

    private static readonly byte[] Table = BuildTable();

    /// <summary>Rows the glyph is shifted down: <see cref="Descent"/> for g, p, q and y, else 0.</summary>
    public static int RowOffset(char ch) => ch is 'g' or 'p' or 'q' or 'y' ? Descent : 0;

    /// <summary>Whether the pixel at (column, row) of the character's glyph is set.</summary>
    public static bool IsSet(char ch, int column, int row)
    {
        if (ch < 32 || ch > 126)
        {
            ch = '?';
        }

        int bits = Table[((ch - 32) * GlyphHeight) + row];
        return (bits & (1 << (GlyphWidth - 1 - column))) != 0;
    }

    private static byte[] BuildTable()
    {
        var table = new byte[Rows.Length * GlyphHeight];
        for (int g = 0; g < Rows.Length; g++)
        {
            Convert.FromHexString(Rows[g]).CopyTo(table, g * GlyphHeight);
        }

        return table;
    }
}
