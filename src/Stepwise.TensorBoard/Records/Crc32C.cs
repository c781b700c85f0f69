using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Stepwise.TensorBoard.Records;

/// <summary>
/// CRC-32C (Castagnoli) as TFRecord framing uses it, computed with the processor's CRC instruction
/// through <see cref="BitOperations.Crc32C(uint, ulong)"/>, plus TensorFlow's masking step.
/// </summary>
public static class Crc32C
{
    private const uint MaskDelta = 0xA282EAD8u;

    /// <summary>The CRC-32C of a byte sequence (initial value and final xor 0xFFFFFFFF).</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The checksum, e.g. 0xE3069283 for the ASCII bytes of <c>123456789</c>.</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;

    /// <summary>The masked CRC-32C stored in TFRecord framing: the CRC rotated right by 15 bits plus 0xA282EAD8.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The masked checksum.</returns>
    public static uint ComputeMasked(ReadOnlySpan<byte> data) => Mask(Compute(data));

    /// <summary>Masks a CRC the way TFRecord stores it.</summary>
    /// <param name="crc">A plain CRC-32C.</param>
    /// <returns>The masked value.</returns>
    public static uint Mask(uint crc) => BitOperations.RotateRight(crc, 15) + MaskDelta;

    /// <summary>Undoes <see cref="Mask"/>.</summary>
    /// <param name="masked">A masked CRC.</param>
    /// <returns>The plain CRC-32C.</returns>
    public static uint Unmask(uint masked) => BitOperations.RotateLeft(masked - MaskDelta, 15);

    /// <summary>The masked CRC of a record's 8-byte little-endian length field.</summary>
    /// <param name="length">The payload length.</param>
    /// <returns>The masked checksum of the length bytes.</returns>
    public static uint MaskedOfLength(ulong length) =>
        Mask(BitOperations.Crc32C(0xFFFFFFFFu, BitConverter.IsLittleEndian ? length : BinaryPrimitives.ReverseEndianness(length)) ^ 0xFFFFFFFFu);

    internal static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        int i = 0;
        if (BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<byte, ulong>(data);
            foreach (ulong w in words)
            {
                crc = BitOperations.Crc32C(crc, w);
            }

            i = words.Length * 8;
            if (data.Length - i >= 4)
            {
                crc = BitOperations.Crc32C(crc, MemoryMarshal.Read<uint>(data[i..]));
                i += 4;
            }
        }

        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return crc;
    }
}
