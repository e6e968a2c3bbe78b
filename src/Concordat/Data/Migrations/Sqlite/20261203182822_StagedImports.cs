using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concordat.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StagedImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StagedImports",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Created = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StagedImports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StagedImports_Created",
                table: "StagedImports",
                column: "Created");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StagedImports");
        }
    }
}
