"""The IME's appointments: examiners' slots, lawful bookings, the claimant's notice letter,
reminders and outcomes."""
