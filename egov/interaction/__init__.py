"""Government–citizen interaction (政民互动): mailboxes and letters (issue 8). Consultations,
surveys, the FAQ and duplicate merging are to come (docs/interaction.md)."""
