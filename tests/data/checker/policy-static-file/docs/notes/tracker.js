alert("stray script")
