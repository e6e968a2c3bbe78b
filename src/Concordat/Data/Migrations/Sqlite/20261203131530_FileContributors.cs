using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concordat.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FileContributors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ContributedByOrganisationId",
                table: "AgreementFile",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AgreementFile_ContributedByOrganisationId",
                table: "AgreementFile",
                column: "ContributedByOrganisationId");

            migrationBuilder.AddForeignKey(
                name: "FK_AgreementFile_Organisation_ContributedByOrganisationId",
                table: "AgreementFile",
                column: "ContributedByOrganisationId",
                principalTable: "Organisation",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AgreementFile_Organisation_ContributedByOrganisationId",
                table: "AgreementFile");

            migrationBuilder.DropIndex(
                name: "IX_AgreementFile_ContributedByOrganisationId",
                table: "AgreementFile");

            migrationBuilder.DropColumn(
                name: "ContributedByOrganisationId",
                table: "AgreementFile");
        }
    }
}
