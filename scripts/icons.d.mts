export interface Image {
  width: number
  height: number
  rgba: Uint8Array
}
export const SOURCE: string
export const LINUX_SIZES: number[]
export const ICO_SIZES: number[]
export const ICNS_TYPES: [string, number][]
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer
export function decodePng(file: Buffer): Image
export function scale(image: Image, size: number): Image
export function icns(image: Image): Buffer
export function ico(image: Image): Buffer
/** Every derived icon file, path relative to the repo → bytes. */
export function deriveIcons(source?: Buffer): Map<string, Buffer>
export function drawSource(size?: number): Buffer
