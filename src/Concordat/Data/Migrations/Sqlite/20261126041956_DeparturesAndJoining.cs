using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concordat.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeparturesAndJoining : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Joining",
                table: "SignOffs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Wording",
                table: "AgreementDrafts",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}"); // drafts made before this have changed no wording

            migrationBuilder.AddColumn<bool>(
                name: "DepartsFromTemplate",
                table: "Agreement",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "TemplateDepartures",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AgreementId = table.Column<int>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RecordedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Approvals = table.Column<string>(type: "TEXT", nullable: true),
                    Sections = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TemplateDepartures", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TemplateDepartures_AgreementId",
                table: "TemplateDepartures",
                column: "AgreementId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TemplateDepartures");

            migrationBuilder.DropColumn(
                name: "Joining",
                table: "SignOffs");

            migrationBuilder.DropColumn(
                name: "Wording",
                table: "AgreementDrafts");

            migrationBuilder.DropColumn(
                name: "DepartsFromTemplate",
                table: "Agreement");
        }
    }
}
