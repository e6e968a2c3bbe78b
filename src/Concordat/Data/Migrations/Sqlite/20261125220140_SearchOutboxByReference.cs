using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concordat.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchOutboxByReference : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_SearchOutbox_Reference_Id",
                table: "SearchOutbox",
                columns: new[] { "Reference", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SearchOutbox_Reference_Id",
                table: "SearchOutbox");
        }
    }
}
