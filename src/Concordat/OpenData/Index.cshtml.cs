using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concordat.OpenData;

/// <summary>How to reuse the register: its licence, downloads, feed, dataset description and the meaning of each column.</summary>
public sealed class OpenDataModel : PageModel;
