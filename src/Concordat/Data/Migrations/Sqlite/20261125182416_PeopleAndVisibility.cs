using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concordat.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PeopleAndVisibility : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "Day",
                table: "AuditEvent",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            // Events written before the column existed: their UTC day is the start of the stored timestamp.
            migrationBuilder.Sql("UPDATE AuditEvent SET Day = substr(At, 1, 10)");

            migrationBuilder.AddColumn<int>(
                name: "OrganisationId",
                table: "AuditEvent",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Visibility",
                table: "AgreementFile",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Invitation",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Roles = table.Column<int>(type: "INTEGER", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    InvitedBy = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    WithdrawnAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Invitation", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Invitation_Organisation_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisation",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Membership",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Roles = table.Column<int>(type: "INTEGER", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Membership", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Membership_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Membership_Organisation_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisation",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvent_Actor",
                table: "AuditEvent",
                column: "Actor");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvent_Day",
                table: "AuditEvent",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvent_OrganisationId",
                table: "AuditEvent",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_Invitation_Hash",
                table: "Invitation",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Invitation_OrganisationId_Email",
                table: "Invitation",
                columns: new[] { "OrganisationId", "Email" });

            migrationBuilder.CreateIndex(
                name: "IX_Membership_OrganisationId",
                table: "Membership",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_Membership_UserId_OrganisationId",
                table: "Membership",
                columns: new[] { "UserId", "OrganisationId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Invitation");

            migrationBuilder.DropTable(
                name: "Membership");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvent_Actor",
                table: "AuditEvent");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvent_Day",
                table: "AuditEvent");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvent_OrganisationId",
                table: "AuditEvent");

            migrationBuilder.DropColumn(
                name: "Day",
                table: "AuditEvent");

            migrationBuilder.DropColumn(
                name: "OrganisationId",
                table: "AuditEvent");

            migrationBuilder.DropColumn(
                name: "Visibility",
                table: "AgreementFile");
        }
    }
}
