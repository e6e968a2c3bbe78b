using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace Concordat.Documents;

/// <summary>
/// PdfPig's stream filters, with what they decode counted against the file's <see cref="ExpansionBudget"/>
/// (<c>Concordat:Documents:MaxExpandedBytes</c>, as for a DOCX). Nothing in a PDF limits a stream: a 500 KB file can hold
/// one that inflates to gigabytes, and PdfPig inflates each stream into one pooled buffer that the process then keeps.
/// So a Flate stream (nearly every stream) is first inflated into a small scratch buffer and counted, and a bomb is
/// refused before any large buffer exists; the rarer filters are counted once they have decoded.
/// </summary>
internal sealed class BoundedPdfFilters(ExpansionBudget budget) : IFilterProvider
{
    const int ScratchLength = 64 * 1024;
    readonly IFilterProvider _filters = DefaultFilterProvider.Instance;

    public IReadOnlyList<IFilter> GetFilters(DictionaryToken dictionary) => [.. _filters.GetFilters(dictionary).Select(Bounded)];

    public IReadOnlyList<IFilter> GetNamedFilters(IReadOnlyList<NameToken> names) => [.. _filters.GetNamedFilters(names).Select(Bounded)];

    public IReadOnlyList<IFilter> GetAllFilters() => [.. _filters.GetAllFilters().Select(Bounded)];

    IFilter Bounded(IFilter filter) => new BoundedFilter(filter, budget, _counted);

    /// <summary>
    /// Streams already counted, by the bytes PdfPig hands over (the same array for the same stream): a letterhead drawn
    /// as one form on every page is decoded once a page, but inflates the file only once.
    /// </summary>
    readonly HashSet<(object Array, int Offset, int Length)> _counted = [];

    sealed class BoundedFilter(IFilter inner, ExpansionBudget budget, HashSet<(object Array, int Offset, int Length)> counted) : IFilter
    {
        public bool IsSupported => inner.IsSupported;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
        {
            if (MemoryMarshal.TryGetArray((ReadOnlyMemory<byte>)input, out var bytes) && !counted.Add((bytes.Array!, bytes.Offset, bytes.Count)))
                return inner.Decode(input, streamDictionary, filterProvider, filterIndex);
            if (inner is FlateFilter)
            {
                CountInflated(input);
                return inner.Decode(input, streamDictionary, filterProvider, filterIndex);
            }
            var decoded = inner.Decode(input, streamDictionary, filterProvider, filterIndex);
            budget.Consume(decoded.Length);
            return decoded;
        }

        /// <summary>Inflates the stream into a scratch buffer only to count it; throws once the file's budget is spent.</summary>
        void CountInflated(Memory<byte> input)
        {
            // A zlib stream: two header bytes, then deflate, as PdfPig's own filter reads it.
            if (input.Length <= 2) return;
            using var compressed = MemoryMarshal.TryGetArray((ReadOnlyMemory<byte>)input, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset + 2, segment.Count - 2, writable: false)
                : new MemoryStream(input[2..].ToArray(), writable: false);
            using var inflating = new DeflateStream(compressed, CompressionMode.Decompress);
            var scratch = ArrayPool<byte>.Shared.Rent(ScratchLength);
            try
            {
                int read;
                while ((read = inflating.Read(scratch, 0, ScratchLength)) > 0) budget.Consume(read);
            }
            catch (InvalidDataException)
            {
                // Damaged from here: PdfPig keeps what came before the damage, which has been counted.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }
}
