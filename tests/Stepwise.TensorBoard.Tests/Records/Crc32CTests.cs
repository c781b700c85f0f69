using System.Text;
using Stepwise.TensorBoard.Records;

namespace Stepwise.TensorBoard.Tests.Records;

public class Crc32CTests
{
    [Fact]
    public void Check_value_of_123456789_is_the_castagnoli_one() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Masked_crc_of_nothing_is_the_mask_delta() =>
        Assert.Equal(0xA282EAD8u, Crc32C.ComputeMasked([]));

    [Theory]
    [InlineData(0ul, 0x07980329u)]
    [InlineData(24ul, 0x224B7FA3u)]
    public void Masked_crc_of_a_length_field_matches_its_eight_little_endian_bytes(ulong length, uint expected)
    {
        Assert.Equal(expected, Crc32C.MaskedOfLength(length));
        Assert.Equal(expected, Crc32C.ComputeMasked(BitConverter.GetBytes(length)));
    }

    [Fact]
    public void Masked_crc_of_the_reference_header_payload_matches_the_golden_file()
    {
        byte[] payload = [0x09, 0, 0, 0, 0x40, 0xfc, 0x54, 0xd9, 0x41, 0x1a, 0x0d, .. Encoding.ASCII.GetBytes("brain.Event:2")];
        Assert.Equal(0x9D8FEDECu, Crc32C.ComputeMasked(payload));
    }

    [Fact]
    public void Unmask_reverses_mask_for_any_value()
    {
        foreach (uint crc in new uint[] { 0, 1, 0xFFFFFFFF, 0xE3069283, 0x12345678 })
        {
            Assert.Equal(crc, Crc32C.Unmask(Crc32C.Mask(crc)));
        }
    }

    [Fact]
    public void Every_length_from_0_to_40_bytes_agrees_with_a_bitwise_reference()
    {
        var data = Enumerable.Range(0, 40).Select(i => (byte)(i * 37 + 11)).ToArray();
        for (int n = 0; n <= data.Length; n++)
        {
            Assert.Equal(Bitwise(data.AsSpan(0, n)), Crc32C.Compute(data.AsSpan(0, n)));
        }
    }

    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
