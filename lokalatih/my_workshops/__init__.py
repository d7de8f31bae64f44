"""'Loka latih saya' (/workshop-saya): a participant's registrations with, per row, what every
feature shows about it. The top layer, so it may read all of them."""
