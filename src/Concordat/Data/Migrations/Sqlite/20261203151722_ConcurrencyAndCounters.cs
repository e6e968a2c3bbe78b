using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concordat.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConcurrencyAndCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "TemplateVersions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "TemplateDepartures",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "SignOffs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "Counter",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Value = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Counter", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvent_PreviousHash",
                table: "AuditEvent",
                column: "PreviousHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Counter");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvent_PreviousHash",
                table: "AuditEvent");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "TemplateVersions");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "TemplateDepartures");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "SignOffs");
        }
    }
}
