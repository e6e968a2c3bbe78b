using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concordat.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TextRecognitionQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "TextReadingAttempts",
                table: "FileVersion",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "TextReadingClaimedUntil",
                table: "FileVersion",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_FileVersion_TextSource",
                table: "FileVersion",
                column: "TextSource");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_FileVersion_TextSource",
                table: "FileVersion");

            migrationBuilder.DropColumn(
                name: "TextReadingAttempts",
                table: "FileVersion");

            migrationBuilder.DropColumn(
                name: "TextReadingClaimedUntil",
                table: "FileVersion");
        }
    }
}
