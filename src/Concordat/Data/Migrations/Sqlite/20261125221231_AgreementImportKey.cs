using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concordat.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AgreementImportKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Agreement_LeadOrganisationId",
                table: "Agreement");

            migrationBuilder.AddColumn<string>(
                name: "ImportKey",
                table: "Agreement",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Agreement_LeadOrganisationId_ImportKey",
                table: "Agreement",
                columns: new[] { "LeadOrganisationId", "ImportKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Agreement_LeadOrganisationId_ImportKey",
                table: "Agreement");

            migrationBuilder.DropColumn(
                name: "ImportKey",
                table: "Agreement");

            migrationBuilder.CreateIndex(
                name: "IX_Agreement_LeadOrganisationId",
                table: "Agreement",
                column: "LeadOrganisationId");
        }
    }
}
