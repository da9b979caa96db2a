"""Regenerates the PNG fixtures with Pillow (an independent encoder): /usr/bin/python3 make_fixtures.py

Every fixture is 13x11 pixels (odd sizes exercise row padding), drawn with these formulas:
  r = x*19 % 256, g = y*23 % 256, b = (x+y)*7 % 256, a = (x*y*5) % 256
"""
from PIL import Image

W, H = 13, 11


def rgba(x, y):
    return (x * 19 % 256, y * 23 % 256, (x + y) * 7 % 256, (x * y * 5) % 256)


def build(mode, fn):
    img = Image.new(mode, (W, H))
    img.putdata([fn(x, y) for y in range(H) for x in range(W)])
    return img


build("RGBA", rgba).save("rgba8.png")
build("RGB", lambda x, y: rgba(x, y)[:3]).save("rgb8.png")
build("L", lambda x, y: rgba(x, y)[0]).save("gray8.png")
build("LA", lambda x, y: (rgba(x, y)[0], rgba(x, y)[3])).save("grayalpha8.png")

# Palette with transparency: 4 entries, index (x + y) % 4, alpha from PALETTE_ALPHA.
pal = Image.new("P", (W, H))
pal.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0])
pal.putdata([(x + y) % 4 for y in range(H) for x in range(W)])
pal.save("palette8_trns.png", transparency=bytes([0, 128, 255, 64]))
# Same palette at bit depth 2 (Pillow picks the depth from the palette size).
pal.save("palette2_trns.png", transparency=bytes([0, 128, 255, 64]), bits=2)

# 1-bit grey: checkerboard.
build("1", lambda x, y: 255 if (x + y) % 2 else 0).save("gray1.png")

# 16-bit grey.
Image.new("I;16", (W, H), 1000).save("gray16.png")

# JPEG and WebP for the inspector.
build("RGB", lambda x, y: rgba(x, y)[:3]).save("photo.jpg", quality=80)
build("RGB", lambda x, y: rgba(x, y)[:3]).save("progressive.jpg", quality=80, progressive=True)
try:
    build("RGB", lambda x, y: rgba(x, y)[:3]).save("lossy.webp", lossless=False)
    build("RGBA", rgba).save("lossless.webp", lossless=True)
except Exception as e:  # Pillow built without WebP
    print("webp skipped:", e)
