// Every platform's app icon from one source image, build/icon.png (1024×1024 RGBA), with no
// download: electron-builder would fetch its icon toolset from GitHub to convert a PNG, so the
// converted files are made here and committed (macOS build/icon.icns, Windows build/icon.ico,
// Linux build/icons/<size>x<size>.png). ICNS and ICO both hold PNG images, so all it takes is
// reading the source, scaling it down and writing containers.
//
//   npm run icons            derive the platform icons from build/icon.png
//   npm run icons -- --draw  redraw build/icon.png itself (the placeholder mark: a check on a card)
//
// To change the icon, replace build/icon.png with a 1024×1024 PNG and run `npm run icons`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync, inflateSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const SOURCE = join(root, 'build', 'icon.png')
export const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024]
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
/** ICNS element types that hold PNG data, by pixel size (the @2x types repeat a size). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
]

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes) {
  let c = 0xffffffff
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/** RGBA pixels (Uint8Array, width*height*4) to a PNG file. */
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 6, 0, 0, 0], 8)
  const raw = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A PNG file (8-bit RGBA, not interlaced: what encodePng and most editors write) to pixels. */
export function decodePng(file) {
  if (file.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG file')
  let offset = 8
  let width = 0
  let height = 0
  const idat = []
  while (offset < file.length) {
    const length = file.readUInt32BE(offset)
    const type = file.toString('latin1', offset + 4, offset + 8)
    const data = file.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      if (data[8] !== 8 || data[9] !== 6 || data[12] !== 0)
        throw new Error('the icon source must be an 8-bit RGBA PNG without interlacing')
    } else if (type === 'IDAT') idat.push(data)
    offset += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * 4
  const out = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]
      const a = x >= 4 ? out[y * stride + x - 4] : 0
      const b = y > 0 ? out[(y - 1) * stride + x] : 0
      const c = x >= 4 && y > 0 ? out[(y - 1) * stride + x - 4] : 0
      let predicted = 0
      if (filter === 1) predicted = a
      else if (filter === 2) predicted = b
      else if (filter === 3) predicted = (a + b) >> 1
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      }
      out[y * stride + x] = (value + predicted) & 0xff
    }
  }
  return { width, height, rgba: out }
}

/** Scale a square image down by area averaging (premultiplied, so edges do not darken). */
export function scale(image, size) {
  const { width, rgba } = image
  const out = new Uint8Array(size * size * 4)
  const step = width / size
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const x0 = Math.floor(x * step)
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * step))
      const y0 = Math.floor(y * step)
      const y1 = Math.max(y0 + 1, Math.floor((y + 1) * step))
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = y0; sy < y1; sy++)
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * width + sx) * 4
          const alpha = rgba[i + 3]
          r += rgba[i] * alpha
          g += rgba[i + 1] * alpha
          b += rgba[i + 2] * alpha
          a += alpha
        }
      const n = (x1 - x0) * (y1 - y0)
      const o = (y * size + x) * 4
      out[o] = a ? Math.round(r / a) : 0
      out[o + 1] = a ? Math.round(g / a) : 0
      out[o + 2] = a ? Math.round(b / a) : 0
      out[o + 3] = Math.round(a / n)
    }
  return { width: size, height: size, rgba: out }
}

const pngAt = (image, size) => {
  const scaled = size === image.width ? image : scale(image, size)
  return encodePng(size, size, scaled.rgba)
}

export function icns(image) {
  const elements = ICNS_TYPES.map(([type, size]) => {
    const png = pngAt(image, size)
    const head = Buffer.alloc(8)
    head.write(type, 0, 'latin1')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'latin1')
  head.writeUInt32BE(8 + elements.reduce((n, e) => n + e.length, 0), 4)
  return Buffer.concat([head, ...elements])
}

export function ico(image) {
  const pngs = ICO_SIZES.map((size) => pngAt(image, size))
  const dir = Buffer.alloc(6 + 16 * pngs.length)
  dir.writeUInt16LE(0, 0)
  dir.writeUInt16LE(1, 2)
  dir.writeUInt16LE(pngs.length, 4)
  let offset = dir.length
  pngs.forEach((png, i) => {
    const size = ICO_SIZES[i]
    const e = 6 + 16 * i
    dir[e] = size >= 256 ? 0 : size
    dir[e + 1] = size >= 256 ? 0 : size
    dir.writeUInt16LE(1, e + 4)
    dir.writeUInt16LE(32, e + 6)
    dir.writeUInt32LE(png.length, e + 8)
    dir.writeUInt32LE(offset, e + 12)
    offset += png.length
  })
  return Buffer.concat([dir, ...pngs])
}

/** Every derived icon file, path relative to the repo → bytes. */
export function deriveIcons(source = readFileSync(SOURCE)) {
  const image = decodePng(source)
  if (image.width !== 1024 || image.height !== 1024) throw new Error('build/icon.png must be 1024×1024')
  const files = new Map([
    ['build/icon.icns', icns(image)],
    ['build/icon.ico', ico(image)],
  ])
  for (const size of LINUX_SIZES) files.set(`build/icons/${size}x${size}.png`, pngAt(image, size))
  // The browser build's tab icon (npm run web); without it every page load asks for a missing /favicon.ico.
  files.set('renderer/public/favicon.png', pngAt(image, 64))
  return files
}

/** The placeholder mark: a white check on a rounded teal card, anti-aliased by coverage. */
export function drawSource(size = 1024) {
  const rgba = new Uint8Array(size * size * 4)
  const card = { inset: size * 0.09, radius: size * 0.2 }
  const check = [
    [0.3, 0.53],
    [0.44, 0.67],
    [0.72, 0.36],
  ].map(([x, y]) => [x * size, y * size])
  const stroke = size * 0.055
  const segmentDistance = (px, py, [ax, ay], [bx, by]) => {
    const dx = bx - ax
    const dy = by - ay
    const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return Math.hypot(px - ax - t * dx, py - ay - t * dy)
  }
  const roundedBox = (px, py) => {
    const half = size / 2 - card.inset
    const qx = Math.abs(px - size / 2) - (half - card.radius)
    const qy = Math.abs(py - size / 2) - (half - card.radius)
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - card.radius
  }
  const coverage = (d) => Math.max(0, Math.min(1, 0.5 - d))
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const px = x + 0.5
      const py = y + 0.5
      const inCard = coverage(roundedBox(px, py))
      const mark = coverage(
        Math.min(segmentDistance(px, py, check[0], check[1]), segmentDistance(px, py, check[1], check[2])) -
          stroke,
      )
      // Teal card shading slightly from top to bottom; the check in white.
      const shade = 1 - (py / size) * 0.18
      const base = [Math.round(20 * shade), Math.round(128 * shade), Math.round(120 * shade)]
      const i = (y * size + x) * 4
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(base[c] * (1 - mark) + 255 * mark)
      rgba[i + 3] = Math.round(255 * inCard)
    }
  return encodePng(size, size, rgba)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--draw')) {
    writeFileSync(SOURCE, drawSource())
    console.log('Drew build/icon.png.')
  }
  for (const [path, bytes] of deriveIcons()) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), bytes)
    console.log(`${path}  ${bytes.length} bytes`)
  }
}
